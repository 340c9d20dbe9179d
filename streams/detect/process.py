"""One batch of raw article messages → articles, events and rejects. Pure apart from the
detector's cached data; the agent puts the result into PostgreSQL and Kafka."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from models.events import Article, DetectedEvent
from streams.detect.detector import detect
from streams.errors import RejectedMessage
from streams.ingest.normalize import parse_message


@dataclass(frozen=True)
class Reject:
    error: RejectedMessage
    origin: dict[str, Any]
    payload: bytes


@dataclass
class Outcome:
    articles: list[Article] = field(default_factory=list)
    events: dict[str, list[DetectedEvent]] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)


def event_id(article_id: str, type_: str, actor: str, target: str, status: str) -> str:
    """Same article, same finding → same id, whatever the detector version or replay."""
    key = "\x1f".join((article_id, type_, actor, target, status))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def detect_article(article: Article, version: str) -> list[DetectedEvent]:
    return [
        DetectedEvent(
            **event.model_dump(),
            id=event_id(article.id, event.type, event.actor, event.target, event.status),
            detector_version=version,
            published_at=article.published_at,
        )
        for event in detect(article)
    ]


def process_batch(
    messages: list[tuple[bytes, dict[str, Any]]], *, max_bytes: int, version: str
) -> Outcome:
    out = Outcome()
    seen: set[str] = set()
    for payload, origin in messages:
        try:
            article = parse_message(payload, max_bytes)
        except RejectedMessage as error:
            out.rejects.append(Reject(error, origin, payload))
            continue
        if article.id in seen:
            continue  # a replay inside one batch: the first copy stands for both
        seen.add(article.id)
        try:
            events = detect_article(article, version)
        except (
            Exception
        ) as exc:  # a detector bug must not stop the stream; the article waits in DLQ
            failure = RejectedMessage("detector_error", f"{type(exc).__name__}: {exc}")
            out.rejects.append(Reject(failure, origin, payload))
            continue
        out.articles.append(article)
        out.events[article.id] = events
    return out
