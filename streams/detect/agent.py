"""The detect agent: news.articles → detector → PostgreSQL (articles, events) and
events.detected. Postgres is written first, then Kafka, then the offsets are acknowledged:
a crash anywhere replays the batch, and the upserts make the replay harmless."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import faust
from sqlalchemy import Engine

from models.events import Article
from streams.app import bytes_topic, origin_of
from streams.db import one_by_one_on_failure, until_available
from streams.deadletter import STORE_ERROR, Letters
from streams.deadletter_rows import record_letters
from streams.detect.detector import warm_up
from streams.detect.process import Outcome, process_batch
from streams.detect.repository import save_batch
from streams.detect.shingles import signature
from streams.detect.story_repository import assign_stories, record_stories
from streams.detect.version import detector_version
from streams.errors import RejectedMessage
from streams.logs import get_logger
from streams.settings import Settings
from streams.topics import Topics

log = get_logger(__name__)


def register(app: faust.App, settings: Settings, topics: Topics, engine: Engine) -> None:
    articles = bytes_topic(app, topics.articles, settings.articles_partitions)
    detected = bytes_topic(app, topics.events, settings.events_partitions)
    deadletter = bytes_topic(app, topics.deadletter, settings.deadletter_partitions)
    version = detector_version()
    # Before the worker joins its group: otherwise the first article waits for the loading.
    ready = warm_up()
    log.info("detector ready", languages=list(ready))

    def _detect_and_save(
        messages: list[tuple[bytes, dict[str, Any]]], keys: Keys
    ) -> tuple[Outcome, Letters]:
        outcome = process_batch(
            messages, max_bytes=settings.max_article_bytes, version=version, keys=keys
        )
        letters = until_available(lambda: store_outcome(engine, outcome, version), "detect")
        return outcome, letters

    @app.agent(articles, name="detect")
    async def detect_articles(stream: Any) -> None:
        async for batch in stream.take_events(
            settings.detect_batch, within=settings.detect_batch_wait
        ):
            messages = [(event.value or b"", origin_of(event)) for event in batch]
            keys = [event.key for event in batch]
            # Off the event loop: while this batch waits on PostgreSQL, the other agents of
            # the worker and the consumer's fetches go on.
            outcome, letters = await asyncio.to_thread(_detect_and_save, messages, keys)
            for evs in outcome.events.values():
                for ev in evs:
                    await detected.send(
                        key=ev.pair_key.encode(), value=ev.model_dump_json().encode("utf-8")
                    )
            for reject in outcome.rejects:
                log.warning(
                    "rejected",
                    reason=reject.error.reason,
                    detail=reject.error.detail[:300],
                    **reject.origin,
                )
            for letter in letters.encoded:
                await deadletter.send(value=letter)
            log.info(
                "batch",
                articles=len(outcome.articles),
                events=sum(len(v) for v in outcome.events.values()),
                rejected=len(outcome.rejects),
            )


Keys = list[bytes | None]


def store_outcome(engine: Engine, outcome: Outcome, version: str) -> Letters:
    """Store the batch's articles and events; an article PostgreSQL refuses on its own is
    moved to the rejects and the others are stored. The rejects' dead letters are encoded
    here, off the event loop, and counted; the agent sends them."""

    def store(articles: Sequence[Article]) -> None:
        with engine.begin() as conn:
            # An article put in the outcome by other means than process_batch is signed here.
            signed = {a.id: outcome.signatures.get(a.id) or signature(a.text) for a in articles}
            assignment = assign_stories(conn, signed)
            events = {a.id: outcome.events[a.id] for a in articles}
            save_batch(conn, list(articles), events, version, assignment.stories)
            record_stories(conn, assignment)

    def refused(article: Article, exc: Exception) -> None:
        failure = RejectedMessage(STORE_ERROR, f"{type(exc).__name__}: {str(exc)[:500]}")
        outcome.reject_article(article.id, failure, exc)

    one_by_one_on_failure(list(outcome.articles), store, refused)
    letters = Letters("detect")
    for r in outcome.rejects:
        letters.add(r.error.reason, r.error.detail, r.origin, r.payload, error=r.cause, key=r.key)
    with engine.begin() as conn:
        record_letters(conn, letters.rows)
    return letters
