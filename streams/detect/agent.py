"""The detect agent: news.articles → detector → PostgreSQL (articles, events) and
events.detected. Postgres is written first, then Kafka, then the offsets are acknowledged:
a crash anywhere replays the batch, and the upserts make the replay harmless."""

from __future__ import annotations

import asyncio
from typing import Any

import faust
from sqlalchemy import Engine

from streams.app import bytes_topic
from streams.detect.detector import warm_up
from streams.detect.process import Outcome, process_batch
from streams.detect.repository import save_batch
from streams.detect.version import detector_version
from streams.ingest.publish import dead_letter
from streams.logs import get_logger
from streams.settings import Settings
from streams.topics import Topics

log = get_logger(__name__)

BATCH = 200
# Short: at news rates a batch never fills, so this window is the latency the stage adds.
WITHIN = 0.02


def register(app: faust.App, settings: Settings, topics: Topics, engine: Engine) -> None:
    articles = bytes_topic(app, topics.articles, settings.articles_partitions)
    detected = bytes_topic(app, topics.events, settings.events_partitions)
    deadletter = bytes_topic(app, topics.deadletter, settings.deadletter_partitions)
    version = detector_version()
    # Before the worker joins its group: otherwise the first article waits for the loading.
    ready = warm_up()
    log.info("detector ready", languages=list(ready))

    def _detect_and_save(messages: list[tuple[bytes, dict[str, Any]]]) -> Outcome:
        outcome = process_batch(messages, max_bytes=settings.max_article_bytes, version=version)
        with engine.begin() as conn:
            save_batch(conn, outcome.articles, outcome.events, version)
        return outcome

    @app.agent(articles, name="detect")
    async def detect_articles(stream: Any) -> None:
        async for batch in stream.take_events(BATCH, within=WITHIN):
            messages = [
                (
                    event.value or b"",
                    {
                        "topic": event.message.topic,
                        "partition": event.message.partition,
                        "offset": event.message.offset,
                    },
                )
                for event in batch
            ]
            # Off the event loop: while this batch waits on PostgreSQL, the other agents of
            # the worker and the consumer's fetches go on.
            outcome = await asyncio.to_thread(_detect_and_save, messages)
            for evs in outcome.events.values():
                for ev in evs:
                    await detected.send(
                        key=ev.pair_key.encode(), value=ev.model_dump_json().encode("utf-8")
                    )
            for reject in outcome.rejects:
                log.warning(
                    "rejected",
                    reason=reject.error.reason,
                    detail=reject.error.detail,
                    **reject.origin,
                )
                await deadletter.send(
                    value=dead_letter(
                        reject.error.reason, reject.error.detail, reject.origin, reject.payload
                    )
                )
            log.info(
                "batch",
                articles=len(outcome.articles),
                events=sum(len(v) for v in outcome.events.values()),
                rejected=len(outcome.rejects),
            )
