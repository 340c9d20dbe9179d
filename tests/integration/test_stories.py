"""One story counted once, end to end on real Kafka, PostgreSQL, worker and API processes: a
reprint by a second outlet joins the first article's story, and a subscription asking for two
sources fires only when a second, independent story reports the change."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from models.events import Article
from streams.ingest.publish import Publisher
from streams.settings import Settings
from streams.topics import Topics, ensure_topics
from streams.web.keys import create_key
from tests.integration.alerts_support import Receiver, alert_env, start_alerts_worker
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration

SECRET = "a-long-enough-test-secret"
# Written for this test: a wire report, a paper's reprint of it (another headline, the last
# sentence cut), and a report of the same event written apart by a third outlet.
WIRE = (
    "Mexico suspended diplomatic relations with Ecuador on Saturday, hours after Ecuadorian "
    "police forced their way into the Mexican embassy in Quito to arrest a former vice "
    "president who had sheltered there since December. The foreign ministry in Mexico City "
    "called the raid a violation of international law and of the sovereignty of Mexico. "
    "Ecuador's government said the former official was a convicted criminal and that asylum "
    "had been granted unlawfully. Neighbouring governments asked both sides to keep talking "
    "and to respect the Vienna Convention."
)
REPRINT = WIRE.rsplit(" Neighbouring", 1)[0]
OWN_REPORT = (
    "Ecuador's raid on the Mexican embassy in Quito has cost it its ties with Mexico: the "
    "Mexican president announced on Saturday evening that Mexico suspended diplomatic "
    "relations with Ecuador, and ordered the embassy staff home on a government plane. The "
    "police had broken down the gates to seize a politician who was wanted on corruption "
    "charges and had asked for asylum. Latin American leaders from Brazil to Colombia "
    "condemned the operation."
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def publish(settings: Settings, *articles: Article) -> None:
    assert settings.kafka_bootstrap
    topics = Topics.from_settings(settings)
    ensure_topics(settings.kafka_bootstrap, topics, settings)
    publisher = Publisher(
        settings.kafka_bootstrap, topics, single_record_batches=settings.broker == "tansu"
    )
    try:
        for article in articles:
            publisher.article(article)
        publisher.flush()
    finally:
        publisher.close()


def article(id_: str, outlet: str, title: str, body: str) -> Article:
    return Article(
        id=id_, source=outlet, title=title, text=body, published_at=dt.date(2024, 4, 6), lang="en"
    )


def one(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).one_or_none()


def period(engine: Engine) -> Any:
    return one(
        engine,
        "SELECT state, articles, outlets, stories FROM dyad_status "
        "WHERE dyad = 'EC-MX' AND dimension = 'diplomatic'",
    )


def test_a_reprint_joins_the_story_and_min_sources_waits_for_a_second_story(
    settings: Settings, engine: Engine, api: str, receiver: Receiver, tmp_path: Path
) -> None:
    with engine.begin() as conn:
        key = create_key(conn, "stories")[1]
    body = {
        "filters": {"pairs": ["MX-EC"], "min_sources": 2},
        "channel": "webhook",
        "webhook_url": receiver.url,
        "secret": SECRET,
    }
    headers = {"Authorization": f"Bearer {key}"}
    response = httpx.post(f"{api}/v1/subscriptions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    worker = start_alerts_worker(settings, tmp_path / "worker.log")
    try:
        publish(settings, article("wire-1", "wire", "Mexico cuts ties with Ecuador", WIRE))
        wait_for(lambda: period(engine) is not None, 120, "the wire report's period")
        publish(settings, article("paper-1", "paper", "Embassy raid: Mexico acts", REPRINT))
        wait_for(lambda: period(engine).articles == 2, 60, "the reprint in the period")
        stories = one(
            engine,
            "SELECT (SELECT story_id FROM articles WHERE id = 'wire-1'),"
            " (SELECT story_id FROM articles WHERE id = 'paper-1')",
        )
        assert tuple(stories) == ("wire-1", "wire-1"), worker.tail()
        assert tuple(period(engine)) == ("severed", 2, 2, 1)
        # Two articles, one story: the subscription waits. The changes are published by
        # now (the period is written in the transaction that puts them in the outbox).
        time.sleep(5)
        assert receiver.accepted() == []

        publish(settings, article("daily-1", "daily", "Quito raid ends relations", OWN_REPORT))
        wait_for(lambda: len(receiver.accepted()) >= 1, 120, "the alert at two stories")
        time.sleep(3)  # nothing more is coming
    finally:
        worker.stop()
    assert one(engine, "SELECT story_id FROM articles WHERE id = 'daily-1'")[0] == "daily-1"
    assert tuple(period(engine)) == ("severed", 3, 3, 2)
    hooks = receiver.accepted()
    assert len(hooks) == 1, worker.tail()
    alert = hooks[0].json
    assert (alert["kind"], alert["new_state"], alert["dyad"]) == ("state", "severed", "EC-MX")
    assert (alert["sources"], alert["stories"], alert["articles"], alert["outlets"]) == (2, 2, 3, 3)

    # The report and the API count stories beside articles and outlets.
    report = subprocess.run(
        [
            sys.executable,
            "-m",
            "streams.cli",
            "report",
            "status",
            "--pair",
            "EC-MX",
            "--format",
            "json",
        ],
        env=alert_env(settings),
        check=True,
        capture_output=True,
        text=True,
    )
    rows = json.loads(report.stdout)["status"]
    severed = next(r for r in rows if r["dimension"] == "diplomatic")
    assert (severed["articles"], severed["outlets"], severed["stories"]) == (3, 3, 2)
    dyad = httpx.get(f"{api}/v1/dyads/EC-MX", headers=headers).json()
    status = next(s for s in dyad["status"] if s["dimension"] == "diplomatic")
    assert (status["articles"], status["outlets"], status["stories"]) == (3, 3, 2)
