"""One batch of raw article messages → articles, events and rejects. Pure apart from the
detector's cached data; the agent puts the result into PostgreSQL and Kafka."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from models.events import Article, DetectedEvent
from streams.article_messages import parse_message
from streams.deadletter import DETECTOR_ERROR, STAGE_ERROR
from streams.detect.detector import detect
from streams.detect.shingles import Signature, signature
from streams.errors import RejectedMessage


@dataclass(frozen=True)
class Reject:
    error: RejectedMessage
    origin: dict[str, Any]
    payload: bytes
    cause: BaseException | None = None
    key: bytes | None = None


@dataclass(frozen=True)
class Source:
    """Where an article came from, kept so that a later failure can dead-letter it."""

    origin: dict[str, Any]
    payload: bytes
    key: bytes | None = None


@dataclass
class Outcome:
    articles: list[Article] = field(default_factory=list)
    events: dict[str, list[DetectedEvent]] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    # Computed here, beside detection and off the database's transaction.
    signatures: dict[str, Signature] = field(default_factory=dict)

    def reject_article(self, article_id: str, error: RejectedMessage, cause: BaseException) -> None:
        """Move a stored-to-be article to the rejects (the database refused it alone)."""
        source = self.sources[article_id]
        self.articles = [a for a in self.articles if a.id != article_id]
        self.events.pop(article_id, None)
        self.signatures.pop(article_id, None)
        self.rejects.append(Reject(error, source.origin, source.payload, cause, source.key))


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
    messages: list[tuple[bytes, dict[str, Any]]],
    *,
    max_bytes: int,
    version: str,
    keys: list[bytes | None] | None = None,
) -> Outcome:
    out = Outcome()
    for index, (payload, origin) in enumerate(messages):
        key = keys[index] if keys else None
        try:
            article = parse_message(payload, max_bytes)
        except RejectedMessage as error:
            out.rejects.append(Reject(error, origin, payload, key=key))
            continue
        except Exception as exc:  # a bug of ours on one message: it waits in the dead letters
            failure = RejectedMessage(STAGE_ERROR, f"{type(exc).__name__}: {exc}")
            out.rejects.append(Reject(failure, origin, payload, exc, key))
            continue
        if article.id in out.sources:
            continue  # a replay inside one batch: the first copy stands for both
        try:
            events = detect_article(article, version)
            sig = signature(article.text)
        except Exception as exc:  # a detector bug must not stop the stream
            failure = RejectedMessage(DETECTOR_ERROR, f"{type(exc).__name__}: {exc}")
            out.rejects.append(Reject(failure, origin, payload, exc, key))
            continue
        out.sources[article.id] = Source(origin, payload, key)
        out.articles.append(article)
        out.events[article.id] = events
        out.signatures[article.id] = sig
    return out
