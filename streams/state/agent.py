"""The state agent: events.detected → recompute of the batch's tracks in PostgreSQL →
dyad.changes.

The tracks of a batch are recomputed in one transaction, which also records their changes
in the outbox; the outbox is published after the commit and marked once Kafka has the
records. A crash before the mark republishes (consumers dedupe on the change id); a crash
before the commit replays the batch, and the recompute makes the replay harmless."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

import faust
from sqlalchemy import Connection, Engine

from models.events import DetectedEvent
from models.state import DyadChange
from streams.app import Received, bytes_topic, read_values
from streams.deadletter import Letters
from streams.isolation import run_isolated
from streams.logs import get_logger
from streams.outbox import Pending, drain
from streams.settings import Settings
from streams.state.repository import apply_tracks, mark_published, pending_changes
from streams.state.rules import Track
from streams.topics import Topics

log = get_logger(__name__)

# Changes left unpublished by a crash or recorded by `dyadwatch rebuild` go out this often.
FLUSH_EVERY = 5.0


def register(app: faust.App, settings: Settings, changes_topic: str, engine: Engine) -> None:
    topics = Topics.from_settings(settings)
    detected = bytes_topic(app, topics.events, settings.events_partitions)
    changes = bytes_topic(app, changes_topic, settings.changes_partitions)
    deadletter = bytes_topic(app, topics.deadletter, settings.deadletter_partitions)
    expiry_days = settings.signal_expiry_days

    def _apply(received: list[Received[DetectedEvent]], letters: Letters) -> int:
        """Recompute the batch's tracks; a track PostgreSQL refuses alone is dead-lettered."""
        by_track: dict[Track, list[Received[DetectedEvent]]] = {}
        for item in received:
            event = item.value
            by_track.setdefault(Track.of(event.type, event.actor, event.target), []).append(item)

        # Stream order: each track passes through the same states however it was batched.
        arrivals = [item.value.id for item in received]

        def run(tracks: Sequence[Track]) -> int:
            with engine.begin() as conn:
                diffs = apply_tracks(conn, tracks, expiry_days=expiry_days, arrivals=arrivals)
            return sum(d.touched for d in diffs)

        return run_isolated(
            engine, letters, list(by_track), run, by_track.__getitem__, lambda t: f"track {t}: "
        )

    @app.agent(detected, name="state")
    async def apply_detected(stream: Any) -> None:
        async for batch in stream.take_events(
            settings.state_batch, within=settings.state_batch_wait
        ):
            started = time.perf_counter()
            letters = Letters("state")
            received = read_values(batch, DetectedEvent, letters)
            # Off the event loop, so the worker's other agents run while this one waits.
            touched = await asyncio.to_thread(_apply, received, letters)
            for letter in letters.encoded:
                await deadletter.send(value=letter)
            applied = time.perf_counter()
            published = await publish_pending(engine, changes)
            log.info(
                "state batch",
                events=len(received),
                tracks_changed=touched,
                published=published,
                rejected=len(letters),
                apply_ms=round((applied - started) * 1000, 1),
                publish_ms=round((time.perf_counter() - applied) * 1000, 1),
            )

    @app.timer(interval=FLUSH_EVERY)  # type: ignore[untyped-decorator]
    async def flush_outbox() -> None:
        published = await publish_pending(engine, changes)
        if published:
            log.info("outbox flushed", published=published)


async def publish_pending(engine: Engine, topic: Any, limit: int = 500) -> int:
    """Send unpublished changes keyed by pair; mark them only after Kafka acknowledged them."""
    return await drain(engine, topic, _take, mark_published, limit=limit)


def _take(conn: Connection, limit: int) -> list[Pending]:
    return [
        (id_, dyad.encode(), DyadChange.model_validate(payload).model_dump_json().encode())
        for id_, dyad, payload in pending_changes(conn, limit)
    ]
