"""News through real Kafka and a real Faust worker into real PostgreSQL rows."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from kafka import KafkaConsumer, KafkaProducer
from sqlalchemy import create_engine, text

from streams.article_messages import REASONS
from streams.ingest.publish import Publisher
from streams.ingest.run import ingest
from streams.settings import Settings
from streams.topics import Topics, ensure_topics
from tests.integration.conftest import Worker, wait_for

pytestmark = pytest.mark.integration

SEED = Path(__file__).resolve().parents[3] / "shared/seed/venezuela-us-russia-2022-03.ar.txt"
EN_SANCTION = "The European Union imposed new sanctions on Iran on Monday over drone deliveries."
EN_RECALL = (
    "Ecuador expelled Mexico's ambassador, and Mexico suspended diplomatic relations with Ecuador."
)


def _publisher(settings: Settings) -> Publisher:
    assert settings.kafka_bootstrap
    topics = Topics.from_settings(settings)
    ensure_topics(settings.kafka_bootstrap, topics, settings)
    return Publisher(
        settings.kafka_bootstrap, topics, single_record_batches=settings.broker == "tansu"
    )


def _scalar(url: str, sql: str, **params: object) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql), params).scalar_one())
    finally:
        engine.dispose()


def _events(url: str, article_id: str) -> set[tuple[str, str, str, str, str | None]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT type, actor, target, status, to_char(event_date, 'YYYY') "
                    "FROM events WHERE article_id = :a"
                ),
                {"a": article_id},
            )
            return {tuple(r) for r in rows}
    finally:
        engine.dispose()


def _consume_all(settings: Settings, topic: str, expect: int, timeout: float = 60) -> list[object]:
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=f"check-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
        consumer_timeout_ms=int(timeout * 1000),
    )
    seen: list[object] = []
    try:
        for record in consumer:
            seen.append(record)
            if len(seen) >= expect:
                break
    finally:
        consumer.close()
    return seen


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is read from ../shared")
def test_seed_article_flows_from_ingest_to_events_rows(
    settings: Settings, start_worker: Callable[[], Worker], tmp_path: Path
) -> None:
    worker = start_worker()
    publisher = _publisher(settings)
    counts = ingest(
        [str(SEED)],
        publisher,
        max_bytes=settings.max_article_bytes,
        progress=False,
        published_at=__import__("datetime").date(2022, 3, 6),
    )
    publisher.close()
    assert counts["published"] == 1
    url = settings.database_url_value()
    assert url
    wait_for(
        lambda: _scalar(url, "SELECT count(*) FROM articles") == 1, 120, "the seed article row"
    )
    article_id = str(_scalar_text(url, "SELECT id FROM articles"))
    found = _events(url, article_id)
    assert ("sanction.imposed", "US", "VE", "occurred", None) in found or any(
        f[:4] == ("sanction.imposed", "US", "VE", "occurred") for f in found
    ), worker.tail()
    assert any(f[:4] == ("sanction.imposed", "US", "RU", "occurred") for f in found)
    severed = [f for f in found if f[0] == "relations.severed"]
    assert severed and {severed[0][1], severed[0][2]} == {"US", "VE"}
    assert severed[0][4] == "2019"
    # Every stored event is also on events.detected, keyed by the unordered pair.
    stored = _scalar(url, "SELECT count(*) FROM events")
    records = _consume_all(settings, Topics.from_settings(settings).events, stored)
    assert len(records) >= stored
    keys = {r.key.decode() for r in records}  # type: ignore[attr-defined]
    assert "US-VE" in keys and "RU-US" in keys


def _scalar_text(url: str, sql: str) -> object:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


def test_replays_and_a_killed_worker_never_duplicate_rows(
    settings: Settings, start_worker: Callable[[], Worker], tmp_path: Path
) -> None:
    url = settings.database_url_value()
    assert url
    corpus = tmp_path / "news.jsonl"
    rows = [{"id": f"r{i}", "text": EN_SANCTION if i % 2 else EN_RECALL} for i in range(40)]
    corpus.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    first = start_worker()
    publisher = _publisher(settings)
    ingest([str(corpus)], publisher, max_bytes=settings.max_article_bytes, progress=False)
    wait_for(lambda: _scalar(url, "SELECT count(*) FROM articles") == 40, 120, "40 articles")
    events_before = _scalar(url, "SELECT count(*) FROM events")
    assert events_before >= 40, first.tail()
    # The same articles again, then a crash (no clean shutdown) and a new worker.
    ingest([str(corpus)], publisher, max_bytes=settings.max_article_bytes, progress=False)
    publisher.close()
    first.stop(kill=True)
    second = start_worker()
    wait_for(lambda: "batch" in second.log.read_text(errors="replace"), 120, "the restarted worker")
    assert _scalar(url, "SELECT count(*) FROM articles") == 40
    assert _scalar(url, "SELECT count(*) FROM events") == events_before
    assert (
        _scalar(url, "SELECT count(DISTINCT (article_id, type, actor, target, status)) FROM events")
        == events_before
    )


def test_every_bad_message_reaches_the_dead_letter_topic_and_good_ones_go_on(
    settings: Settings, start_worker: Callable[[], Worker]
) -> None:
    url = settings.database_url_value()
    assert url
    topics = Topics.from_settings(settings)
    assert settings.kafka_bootstrap
    ensure_topics(settings.kafka_bootstrap, topics, settings)
    bad = {
        "not_utf8": b"\xff\xfe\xfa",
        "not_json": b'{"text": ',
        "not_object": b'"just a string"',
        "no_text": b'{"id": "empty", "text": ""}',
        "too_large": json.dumps(
            {"id": "big", "text": "x" * (settings.max_article_bytes + 10)}
        ).encode(),
        "invalid_field": b'{"id": "bad-date", "text": "ok", "published_at": "not a date"}',
        "too_deep": b'{"text": "ok", "x": ' + b"[" * 20_000 + b"]" * 20_000 + b"}",
        "bad_characters": b'{"id": "surrogate", "text": "Iran \\ud800 sanctions"}',
    }
    assert set(bad) == set(REASONS)
    producer = KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        max_request_size=4 * settings.max_article_bytes,
        batch_size=1 if settings.broker == "tansu" else 16384,
    )
    good_ids = []
    for i, payload in enumerate(bad.values()):
        good = {"id": f"good-{i}", "text": EN_SANCTION}
        good_ids.append(good["id"])
        producer.send(topics.articles, key=b"k", value=json.dumps(good).encode())
        producer.send(topics.articles, key=b"k", value=payload)
    producer.send(
        topics.articles, key=b"k", value=json.dumps({"id": "good-last", "text": EN_RECALL}).encode()
    )
    producer.flush()
    producer.close()
    start_worker()
    dead = _consume_all(settings, topics.deadletter, len(bad), timeout=120)
    letters = [json.loads(r.value) for r in dead]  # type: ignore[attr-defined]
    assert sorted(d["reason"] for d in letters) == sorted(bad)
    for letter in letters:
        assert letter["origin"]["topic"] == topics.articles
        assert isinstance(letter["origin"]["offset"], int)
        assert "payload" in letter or "payload_base64" in letter
    wait_for(
        lambda: _scalar(url, "SELECT count(*) FROM articles") == len(good_ids) + 1,
        60,
        "every good article",
    )
    # Counted where /metrics reads, once each, with the stage that refused them.
    assert {letter["stage"] for letter in letters} == {"detect"}
    wait_for(
        lambda: (
            _scalar(url, "SELECT count(*) FROM dead_letters WHERE stage = 'detect'") == len(bad)
        ),
        30,
        "the dead letters counted",
    )


_ASSIGNED = re.compile(r"event='assigned' partitions=\[([^\]]*)\]")


def _latest_assignment(worker: Worker) -> set[str] | None:
    found = _ASSIGNED.findall(worker.log.read_text(errors="replace"))
    if not found:
        return None
    return {item.strip().strip("'") for item in found[-1].split(",") if item.strip()}


def _split_between(workers: list[Worker], partitions: int) -> bool:
    held = [_latest_assignment(worker) for worker in workers]
    if any(not owned for owned in held):
        return False
    owned_sets = [owned for owned in held if owned]
    union = set().union(*owned_sets)
    return len(union) == partitions and sum(len(owned) for owned in owned_sets) == partitions


def test_two_workers_share_the_partitions_and_each_article_is_stored_once(
    settings: Settings, start_worker: Callable[[], Worker], tmp_path: Path
) -> None:
    url = settings.database_url_value()
    assert url
    corpus = tmp_path / "many.jsonl"
    texts = [EN_SANCTION, EN_RECALL, "Oil prices rose two percent on Monday."]
    corpus.write_text(
        "".join(json.dumps({"id": f"m{i}", "text": texts[i % 3]}) + "\n" for i in range(300))
    )
    workers = [start_worker(), start_worker()]
    # The group has settled when the workers' latest assignments split every partition between
    # them; either may join first and briefly hold them all.
    wait_for(lambda: _split_between(workers, settings.articles_partitions), 90, "a settled group")
    publisher = _publisher(settings)
    ingest([str(corpus)], publisher, max_bytes=settings.max_article_bytes, progress=False)
    publisher.close()
    wait_for(lambda: _scalar(url, "SELECT count(*) FROM articles") == 300, 180, "300 articles")
    # Both workers took part: each logged at least one batch of its own.
    for worker in workers:
        wait_for(
            lambda w=worker: "event='batch'" in w.log.read_text(errors="replace"), 30, "a batch"
        )
    assert _scalar(url, "SELECT count(*) FROM events WHERE article_id LIKE 'm%'") == _scalar(
        url, "SELECT sum(event_count) FROM articles"
    )
