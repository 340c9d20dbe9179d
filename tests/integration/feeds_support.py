"""What the feed tests share: a clock the test moves, and a reader of a topic from its start."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from kafka import KafkaConsumer

from streams.settings import Settings


class Clock:
    """The poller's time, moved by the test instead of waited for."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)

    def at(self, when: dt.datetime) -> None:
        self.now = when


def read_topic(settings: Settings, topic: str, timeout: float = 6.0) -> list[dict[str, Any]]:
    """Every record's value on `topic`, read from the start by a fresh group."""
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=f"check-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        consumer_timeout_ms=int(timeout * 1000),
    )
    try:
        return [json.loads(record.value) for record in consumer]
    finally:
        consumer.close()
