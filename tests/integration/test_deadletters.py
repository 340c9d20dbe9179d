"""Dead letters on real Kafka and PostgreSQL: a record the database refuses alone is
dead-lettered while the rest of its batch is stored; letters are listed and replayed."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from typing import Any

import pytest
from kafka import KafkaConsumer, KafkaProducer
from sqlalchemy import create_engine, text

from models.events import Article
from streams.deadletter import encode_letter
from streams.detect.agent import store_outcome
from streams.detect.process import Source, process_batch
from streams.settings import Settings
from streams.topics import Topics, ensure_topics
from tests.integration.conftest import settings_env

pytestmark = pytest.mark.integration

SANCTION = "Canada imposed new sanctions on Iran on Monday."


def test_an_article_the_database_refuses_is_dead_lettered_and_the_batch_stored(
    database_url: str,
) -> None:
    messages = [
        (
            json.dumps({"id": f"a{i}", "text": SANCTION}).encode(),
            {"topic": "t", "partition": 0, "offset": i},
        )
        for i in range(3)
    ]
    outcome = process_batch(messages, max_bytes=100_000, version="v")
    # Past validation, as a bug or a schema drift could let through: longer than the column.
    long_id = "x" * 600
    outcome.articles.append(Article.model_construct(id=long_id, text=SANCTION))
    outcome.events[long_id] = []
    outcome.sources[long_id] = Source({"topic": "t", "partition": 0, "offset": 9}, b"{}")
    engine = create_engine(database_url)
    try:
        store_outcome(engine, outcome, "v")
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT id FROM articles ORDER BY id")).scalars().all()
            letters = conn.execute(
                text("SELECT stage, reason, error, origin_offset FROM dead_letters")
            ).all()
            events = conn.execute(text("SELECT count(*) FROM events")).scalar_one()
    finally:
        engine.dispose()
    assert stored == ["a0", "a1", "a2"]
    assert events == sum(len(outcome.events[a]) for a in ("a0", "a1", "a2")) > 0
    assert [(r.error.reason, r.origin["offset"]) for r in outcome.rejects] == [("store_error", 9)]
    assert [tuple(row) for row in letters] == [("detect", "store_error", "DataError", 9)]


def _first_records(settings: Settings, topic: str, n: int) -> list[Any]:
    """The first `n` records of a topic, read by a fresh consumer group."""
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=f"check-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        consumer_timeout_ms=20_000,
        max_partition_fetch_bytes=4 * 1024 * 1024,
    )
    try:
        return [record for _, record in zip(range(n), consumer, strict=False)]
    finally:
        consumer.close()


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", "deadletter", *args, "--quiet"],
        env=settings_env(settings),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_letters_are_listed_and_replayed_to_where_they_came_from(settings: Settings) -> None:
    topics = Topics.from_settings(settings)
    assert settings.kafka_bootstrap
    ensure_topics(settings.kafka_bootstrap, topics, settings)
    fixed = json.dumps({"id": "fixed", "text": SANCTION}).encode()
    origin = {"topic": topics.articles, "partition": 0, "offset": 41}
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, batch_size=1)
    producer.send(
        topics.deadletter,
        value=encode_letter("detect", "detector_error", "boom", origin, fixed, key=b"fixed"),
    )
    producer.send(
        topics.deadletter, value=encode_letter("detect", "not_utf8", "byte 0", origin, b"\xff")
    )
    producer.send(topics.deadletter, value=b"not a letter at all")
    producer.flush()
    producer.close()

    listed = [
        json.loads(line) for line in _cli(settings, "list", "--format", "json").stdout.splitlines()
    ]
    assert [(item["reason"], item["origin"]["offset"]) for item in listed] == [
        ("detector_error", 41),
        ("not_utf8", 41),
    ]
    table = _cli(settings, "list", "--reason", "not_utf8")
    assert "1 dead letters" in table.stderr and "not_utf8" in table.stdout

    replayed = _cli(settings, "replay", "--reason", "detector_error")
    assert f"1 replayed ({topics.articles}=1)" in replayed.stderr
    (record,) = _first_records(settings, topics.articles, 1)
    assert (record.key, record.value) == (b"fixed", fixed)


def test_a_letter_too_large_to_travel_whole_is_replayed_from_its_origin(
    settings: Settings,
) -> None:
    topics = Topics.from_settings(settings)
    assert settings.kafka_bootstrap
    ensure_topics(settings.kafka_bootstrap, topics, settings)
    big = json.dumps({"id": "big", "text": "sanctions " * 95_000}).encode()  # 950 KB
    producer = KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap, max_request_size=2 * 1024 * 1024
    )
    sent = producer.send(topics.articles, key=b"big", value=big).get(timeout=30)
    origin = {"topic": topics.articles, "partition": sent.partition, "offset": sent.offset}
    producer.send(
        topics.deadletter,
        value=encode_letter("detect", "too_large", "over", origin, big, key=b"big"),
    )
    producer.flush()
    producer.close()
    listed = [
        json.loads(line) for line in _cli(settings, "list", "--format", "json").stdout.splitlines()
    ]
    assert [(item["reason"], item["payload_truncated"]) for item in listed] == [("too_large", True)]
    replayed = _cli(settings, "replay")
    assert f"1 replayed ({topics.articles}=1)" in replayed.stderr
    values = [record.value for record in _first_records(settings, topics.articles, 2)]
    assert values == [big, big]
