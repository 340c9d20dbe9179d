"""Alerts end to end: real Kafka, PostgreSQL, worker and API processes, a local receiver."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from kafka import KafkaProducer
from sqlalchemy import Engine, text

from models.state import DyadChange
from streams.alerts.match import alert_id
from streams.alerts.signing import HEADER, verify
from streams.sealing import Sealer, is_sealed
from streams.settings import Settings
from streams.topics import Topics
from streams.web.keys import create_key
from tests.integration.alerts_support import (
    Receiver,
    SseClient,
    alert_env,
    start_alerts_worker,
    start_api,
)
from tests.integration.conftest import consume_keyed_ids, wait_for

pytestmark = pytest.mark.integration

SEED = Path(__file__).resolve().parents[3] / "shared/seed/venezuela-us-russia-2022-03.ar.txt"
SECRET = "a-long-enough-test-secret"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def new_key(engine: Engine, name: str = "test") -> str:
    with engine.begin() as conn:
        return create_key(conn, name)[1]


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def subscribe(base: str, key: str, url: str, **filters: Any) -> dict[str, Any]:
    body = {"filters": filters, "channel": "webhook", "webhook_url": url, "secret": SECRET}
    response = httpx.post(f"{base}/v1/subscriptions", json=body, headers=auth(key))
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def rows(engine: Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def test_seed_article_alerts_by_signed_webhook_and_sse(
    settings: Settings, engine: Engine, api: str, receiver: Receiver, tmp_path: Path
) -> None:
    key = new_key(engine)
    sub = subscribe(api, key, receiver.url, pairs=["VE-US"])
    sse = SseClient(f"{api}/v1/alerts/stream", key).start()
    worker = start_alerts_worker(settings, tmp_path / "worker.log")
    try:
        ingest = ["ingest", str(SEED), "--quiet", "--published-at", "2022-03-06"]
        subprocess.run(
            [sys.executable, "-m", "streams.cli", *ingest],
            env=alert_env(settings),
            check=True,
            capture_output=True,
        )
        wait_for(lambda: len(receiver.accepted()) >= 2, 120, "two webhooks")
        wait_for(lambda: len(sse.events) >= 2, 10, "two SSE events")
        time.sleep(2)  # nothing more is coming
    finally:
        worker.stop()
        sse.stop()
    hooks = receiver.accepted()
    assert len(hooks) == 2, worker.tail()
    # The secret is kept sealed; the worker opened it with the key the API sealed it under.
    (stored,) = rows(engine, "SELECT secret FROM subscriptions WHERE id = :id", id=sub["id"])
    assert is_sealed(stored.secret) and SECRET not in stored.secret
    for hook in hooks:
        assert verify(SECRET, hook.headers[HEADER], hook.body, now=time.time())
        assert hook.headers["Idempotency-Key"] == hook.json["id"]
        assert hook.json["subscription_id"] == sub["id"]
    alerts = {(a["dimension"], a["old_state"], a["new_state"]): a for a in (h.json for h in hooks)}
    assert set(alerts) == {("diplomatic", "normal", "severed"), ("sanctions", "none", "active")}
    severed = alerts[("diplomatic", "normal", "severed")]
    assert severed["dyad"] == "US-VE" and severed["event_type"] == "relations.severed"
    assert severed["valid_from"] == "2019-01-01" and severed["sources"] == 1
    assert "2019" in severed["evidence"][0]["text"]
    assert [severed["evidence"][0]["article_id"]] == [
        r[0] for r in rows(engine, "SELECT id FROM articles")
    ]
    assert severed["dyad_url"].endswith("/v1/dyads/US-VE")
    assert {e.data["id"] for e in sse.events} == {h.json["id"] for h in hooks}
    assert all(e.event == "alert" for e in sse.events)
    # Resuming after the first event gives exactly the second one.
    first, second = sorted(sse.events, key=lambda e: int(e.id))
    resumed = SseClient(f"{api}/v1/alerts/stream", key, last_event_id=first.id).start()
    wait_for(lambda: len(resumed.events) >= 1, 10, "the resumed stream")
    time.sleep(0.5)
    resumed.stop()
    assert [e.data["id"] for e in resumed.events] == [second.data["id"]]
    # The alerts topic and the reporting reads agree.
    dyad = httpx.get(f"{api}/v1/dyads/VE-US", headers=auth(key)).json()
    assert {(s["dimension"], s["state"]) for s in dyad["status"]} >= {
        ("diplomatic", "severed"),
        ("sanctions", "active"),
    }
    feed = httpx.get(f"{api}/v1/changes", params={"dyad": "US-VE"}, headers=auth(key)).json()
    assert {c["id"] for c in feed["changes"]} >= {a["change_id"] for a in alerts.values()}
    metrics = httpx.get(f"{api}/metrics").text
    assert 'dyadwatch_webhook_deliveries{status="delivered"} 2' in metrics


def change(n: int, **over: Any) -> DyadChange:
    base: dict[str, Any] = {
        "id": f"change-{n:04d}",
        "kind": "state",
        "dyad": "US-VE",
        "dimension": "sanctions",
        "actor": "US",
        "target": "VE",
        "state": "active",
        "previous_state": "none",
        "valid_from": dt.date(2019, 1, 28),
        "precision": "day",
        "basis": "stated",
        "confidence": 0.9,
        "articles": 1,
        "event_id": f"event-{n}",
        "evidence": f"Sentence {n}.",
    }
    return DyadChange(**{**base, **over})


def produce(settings: Settings, changes: list[DyadChange]) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    topic = Topics.from_settings(settings).changes
    for c in changes:
        producer.send(topic, key=c.dyad.encode(), value=c.model_dump_json().encode())
    producer.flush()
    producer.close()


def test_outage_restart_and_redelivery_end_in_one_accepted_delivery_per_alert(
    settings: Settings, engine: Engine, api: str, receiver: Receiver, tmp_path: Path
) -> None:
    key = new_key(engine)
    sub = subscribe(api, key, receiver.url, countries=["VE"])
    changes = [change(n) for n in range(5)] + [change(9, dyad="IR-US", target="IR")]
    receiver.failing = True
    first = start_alerts_worker(settings, tmp_path / "w1.log")
    try:
        produce(settings, changes[:3])
        wait_for(lambda: len(receiver.received) >= 6, 90, "retries against a failing receiver")
    finally:
        first.stop(kill=True)
    # Kafka redelivers what the killed worker may not have committed; send some again too.
    produce(settings, changes)
    second = start_alerts_worker(settings, tmp_path / "w2.log")
    try:
        time.sleep(2)
        receiver.failing = False
        wait_for(lambda: len(receiver.accepted()) >= 5, 90, "every alert accepted")
        time.sleep(3)
    finally:
        second.stop()
    accepted = receiver.accepted()
    expected = {alert_id(sub["id"], c.id) for c in changes[:5]}
    keys = [r.headers["Idempotency-Key"] for r in accepted]
    assert sorted(keys) == sorted(expected), "one accepted delivery per alert"
    # Every attempt at one alert carried the same key and the same signed body.
    for r in receiver.received:
        assert r.headers["Idempotency-Key"] == r.json["id"]
        assert verify(SECRET, r.headers[HEADER], r.body, now=time.time())
    recorded = rows(
        engine,
        "SELECT d.status, d.attempts, array_agg(a.status_code ORDER BY a.attempt) "
        "FROM deliveries d JOIN delivery_attempts a USING (alert_id) GROUP BY d.alert_id",
    )
    assert len(recorded) == 5 and all(r[0] == "delivered" for r in recorded)
    assert any(r[2][0] == 500 and r[2][-1] == 204 for r in recorded)
    assert rows(engine, "SELECT count(*) FROM alerts")[0][0] == 5
    # The alerts topic has them too, keyed by subscription (at least once: dedupe on the id).
    on_topic = consume_keyed_ids(settings, Topics.from_settings(settings).alerts, timeout=8)
    assert {k for k, _ in on_topic} == {sub["id"]}
    assert {i for _, i in on_topic} == expected


def test_secrets_stored_in_clear_before_sealing_are_sealed_by_reseal(
    settings: Settings, engine: Engine, api: str
) -> None:
    sub = subscribe(api, new_key(engine), "http://127.0.0.1:9/hook")
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE subscriptions SET secret = :clear WHERE id = :id"),
            {"clear": SECRET, "id": sub["id"]},
        )
    done = subprocess.run(
        [sys.executable, "-m", "streams.cli", "secrets", "reseal"],
        env=alert_env(settings),
        capture_output=True,
        text=True,
        check=True,
    )
    assert "sealed 1 webhook secrets" in done.stderr
    (stored,) = rows(engine, "SELECT secret FROM subscriptions WHERE id = :id", id=sub["id"])
    assert is_sealed(stored.secret)
    assert Sealer.from_settings(settings).open(stored.secret) == SECRET


def test_another_key_can_neither_see_nor_change_a_subscription(
    engine: Engine, api: str, receiver: Receiver
) -> None:
    owner, stranger = new_key(engine, "owner"), new_key(engine, "stranger")
    sub = subscribe(api, owner, receiver.url, pairs=["US-VE"])
    path = f"{api}/v1/subscriptions/{sub['id']}"
    assert httpx.get(f"{api}/v1/subscriptions").status_code == 401
    assert httpx.get(path, headers=auth("dw_not-a-key")).status_code == 401
    assert httpx.get(f"{api}/v1/subscriptions", headers=auth(stranger)).json() == []
    assert httpx.get(path, headers=auth(stranger)).status_code == 404
    assert httpx.patch(path, json={"active": False}, headers=auth(stranger)).status_code == 404
    assert httpx.delete(path, headers=auth(stranger)).status_code == 404
    mine = httpx.get(path, headers=auth(owner)).json()
    assert mine["active"] and "secret" not in mine
    patched = httpx.patch(path, json={"filters": {"countries": ["ir"]}}, headers=auth(owner))
    assert patched.json()["filters"]["countries"] == ["IR"]
    # A null leaves a field as it is (it reached a NOT NULL column and answered 500).
    kept = httpx.patch(path, json={"active": None}, headers=auth(owner))
    assert (kept.status_code, kept.json()["active"]) == (200, True), kept.text
    assert httpx.delete(path, headers=auth(owner)).status_code == 204
    assert httpx.get(path, headers=auth(owner)).status_code == 404


def test_private_webhook_urls_are_refused_unless_allowed(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    key = new_key(engine)
    strict, base = start_api(
        settings, tmp_path / "strict.log", DYADWATCH_WEBHOOK_ALLOW_PRIVATE="false"
    )
    try:
        for url in ("http://127.0.0.1:9/hook", "http://10.0.0.5/h", "http://169.254.169.254/"):
            body = {"channel": "webhook", "webhook_url": url, "secret": SECRET}
            answer = httpx.post(f"{base}/v1/subscriptions", json=body, headers=auth(key))
            assert answer.status_code == 422, answer.text
            assert answer.json()["error"] == "unsafe_url"
        huge = {"filters": {"countries": ["US"] * 50_000}, "channel": "sse"}
        too_big = httpx.post(f"{base}/v1/subscriptions", json=huge, headers=auth(key))
        assert too_big.status_code == 413
        log = strict.log.read_text()
    finally:
        strict.stop()
    assert SECRET not in log
    assert rows(engine, "SELECT count(*) FROM subscriptions")[0][0] == 0
