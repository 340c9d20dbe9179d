"""The kafka-python bridge: raw upstream JSON → validated news.articles, rejects → DLQ."""

from __future__ import annotations

import json
import threading
import uuid

import pytest
from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from streams.ingest.bridge import run_bridge
from streams.ingest.publish import Publisher
from streams.settings import Settings
from streams.topics import Topics, ensure_topics

pytestmark = pytest.mark.integration


def _drain(bootstrap: str, topic: str, n: int) -> list[bytes]:
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"drain-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
        consumer_timeout_ms=60_000,
    )
    out: list[bytes] = []
    try:
        for record in consumer:
            out.append(record.value)
            if len(out) >= n:
                break
    finally:
        consumer.close()
    return out


def test_bridge_republishes_good_news_and_dead_letters_the_rest(settings: Settings) -> None:
    bootstrap = settings.kafka_bootstrap
    assert bootstrap
    topics = Topics.from_settings(settings)
    ensure_topics(bootstrap, topics, settings)
    raw_topic = f"{settings.topic_prefix}upstream.raw"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(raw_topic, num_partitions=2, replication_factor=1)])
    admin.close()

    producer = KafkaProducer(
        bootstrap_servers=bootstrap, batch_size=1 if settings.broker == "tansu" else 16384
    )
    messages = [
        json.dumps({"id": "u1", "text": "Canada imposed sanctions on Iran.", "source": "wire"}),
        "not json at all",
        json.dumps({"id": "u2", "text": "Mexico restored relations with Peru."}),
        json.dumps({"id": "u3"}),
        json.dumps({"id": "u4", "text": "ok", "lang": 7}),
        json.dumps({"text": "An article without an id gets one."}),
    ]
    for i, message in enumerate(messages):
        producer.send(raw_topic, key=str(i).encode(), value=message.encode())
    producer.flush()
    producer.close()

    publisher = Publisher(bootstrap, topics, single_record_batches=settings.broker == "tansu")
    stop = threading.Event()
    counts = run_bridge(
        bootstrap,
        raw_topic,
        publisher,
        group_id=f"bridge-{uuid.uuid4().hex[:8]}",
        max_bytes=settings.max_article_bytes,
        stop=stop,
        idle_exit=8.0,
        progress=False,
    )
    publisher.close()
    assert counts["published"] == 3
    assert counts["rejected.not_json"] == 1
    assert counts["rejected.no_text"] == 1
    assert counts["rejected.invalid_field"] == 1

    articles = [json.loads(v) for v in _drain(bootstrap, topics.articles, 3)]
    ids = {a["id"] for a in articles}
    assert {"u1", "u2"} <= ids
    assert any(i.startswith("sha256:") for i in ids)
    dead = [json.loads(v) for v in _drain(bootstrap, topics.deadletter, 3)]
    assert {d["reason"] for d in dead} == {"not_json", "no_text", "invalid_field"}
    assert all(d["origin"]["topic"] == raw_topic for d in dead)
    assert any(d.get("payload") == "not json at all" for d in dead)
