"""The alerts agent: dyad.changes → matching subscriptions → PostgreSQL `alerts` (and webhook
`deliveries`) → the `alerts` topic. Also runs the webhook delivery loop in the worker.

Alerts are written before the offsets are committed and published from the table afterwards,
like the state stage's outbox; their ids are hashes of subscription and change, so a
redelivered change writes nothing new and a republished alert carries the same id.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Sequence
from typing import Any

import faust
from sqlalchemy import Connection, Engine

from models.alerts import Alert
from models.state import DyadChange
from streams.alerts.delivery import run_in_thread
from streams.alerts.match import build_alert, matches
from streams.alerts.repository import (
    active_targets,
    evidence_for,
    mark_alerts_published,
    store_alerts,
    unpublished_alerts,
)
from streams.app import Received, bytes_topic, read_values
from streams.deadletter import Letters
from streams.isolation import run_isolated
from streams.logs import get_logger
from streams.outbox import Pending, drain
from streams.settings import Settings
from streams.topics import Topics

log = get_logger(__name__)

FLUSH_EVERY = 5.0


def register(
    app: faust.App, settings: Settings, topics: Topics, engine: Engine, *, deliver: bool = True
) -> None:
    changes = bytes_topic(app, topics.changes, settings.changes_partitions)
    alerts = bytes_topic(app, topics.alerts, settings.alerts_partitions)
    deadletter = bytes_topic(app, topics.deadletter, settings.deadletter_partitions)

    def _store(received: list[Received[DyadChange]], letters: Letters) -> int:
        """Store the alerts of the batch's changes; a change refused alone is dead-lettered."""
        # Replays of one change in one batch are common after a rebalance.
        unique = list({item.value.id: item for item in received}.values())

        def run(items: Sequence[Received[DyadChange]]) -> int:
            return store_matches(
                engine, [item.value for item in items], base_url=settings.public_url
            )

        return run_isolated(engine, letters, unique, run, lambda item: [item])

    @app.agent(changes, name="alerts")
    async def alert_on_changes(stream: Any) -> None:
        async for batch in stream.take_events(
            settings.alerts_batch, within=settings.alerts_batch_wait
        ):
            started = time.perf_counter()
            letters = Letters("alerts")
            received = read_values(batch, DyadChange, letters)
            new = await asyncio.to_thread(_store, received, letters)
            for letter in letters.encoded:
                await deadletter.send(value=letter)
            stored = time.perf_counter()
            published = await publish_pending(engine, alerts)
            if received or letters:
                log.info(
                    "alerts batch",
                    changes=len(received),
                    new=new,
                    published=published,
                    rejected=len(letters),
                    store_ms=round((stored - started) * 1000, 1),
                    publish_ms=round((time.perf_counter() - stored) * 1000, 1),
                )

    @app.timer(interval=FLUSH_EVERY)  # type: ignore[untyped-decorator]
    async def flush_alerts() -> None:
        published = await publish_pending(engine, alerts)
        if published:
            log.info("alerts outbox flushed", published=published)

    if deliver:

        @app.task  # type: ignore[untyped-decorator]
        async def deliver_webhooks() -> None:
            run_in_thread(engine, settings)


def store_matches(engine: Engine, changes: list[DyadChange], *, base_url: str) -> int:
    """Match, build and store alerts for `changes` in one transaction; count the new ones."""
    if not changes:
        return 0
    with engine.begin() as conn:
        targets = active_targets(conn)
        if not targets:
            return 0
        evidence = evidence_for(conn, changes)
        now = dt.datetime.now(dt.UTC)
        webhooks = {
            t.subscriber.id: t.webhook_url
            for t in targets
            if t.channel == "webhook" and t.webhook_url
        }
        built: list[tuple[Alert, dt.datetime | None]] = []
        for change in changes:
            items, recorded = evidence[change.id]
            for t in targets:
                if matches(t.subscriber.filters, change):
                    alert = build_alert(
                        t.subscriber.id, change, items, base_url=base_url, created_at=now
                    )
                    built.append((alert, recorded))
        return len(store_alerts(conn, built, webhooks))


async def publish_pending(engine: Engine, topic: Any, limit: int = 500) -> int:
    """Send unpublished alerts keyed by subscription; mark them once Kafka acknowledged."""
    return await drain(engine, topic, _take, mark_alerts_published, limit=limit)


def _take(conn: Connection, limit: int) -> list[Pending]:
    return [(id_, sub.encode(), body) for id_, sub, body in unpublished_alerts(conn, limit)]
