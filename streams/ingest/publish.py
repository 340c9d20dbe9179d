"""The Kafka edge of ingestion: articles to news.articles, rejects to news.deadletter."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections import Counter
from typing import Any

from kafka import KafkaProducer

from models.events import Article
from streams.errors import RejectedMessage
from streams.topics import Topics


def dead_letter(reason: str, detail: str, origin: dict[str, Any], payload: object) -> bytes:
    """The dead-letter record: why, where from, and the payload itself so nothing is lost."""
    body: dict[str, Any] = {
        "reason": reason,
        "detail": detail,
        "origin": origin,
        "at": dt.datetime.now(dt.UTC).isoformat(),
    }
    if isinstance(payload, bytes):
        try:
            body["payload"] = payload.decode("utf-8")
        except UnicodeDecodeError:
            body["payload_base64"] = base64.b64encode(payload).decode("ascii")
    else:
        body["payload"] = payload
    return json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")


class Publisher:
    """Sends and counts. Single-record batches are for brokers that misreport end offsets."""

    def __init__(self, bootstrap: str, topics: Topics, *, single_record_batches: bool = False):
        self.topics = topics
        self.counts: Counter[str] = Counter()
        self._producer = KafkaProducer(
            bootstrap_servers=bootstrap,
            client_id="dyadwatch-ingest",
            acks="all",
            linger_ms=0 if single_record_batches else 5,
            batch_size=1 if single_record_batches else 64 * 1024,
            retries=5,
            max_request_size=4 * 1024 * 1024,
        )

    def article(self, article: Article) -> None:
        value = article.model_dump_json(exclude_none=True).encode("utf-8")
        self._producer.send(self.topics.articles, key=article.id.encode("utf-8"), value=value)
        self.counts["published"] += 1

    def reject(self, error: RejectedMessage, origin: dict[str, Any], payload: object) -> None:
        record = dead_letter(error.reason, error.detail, origin, payload)
        self._producer.send(self.topics.deadletter, value=record)
        self.counts[f"rejected.{error.reason}"] += 1

    def flush(self) -> None:
        self._producer.flush(timeout=60)

    def close(self) -> None:
        self._producer.flush(timeout=60)
        self._producer.close(timeout=10)
