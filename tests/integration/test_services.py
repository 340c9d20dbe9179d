"""Service launchers against the real programs: start, round trip, stop, find from elsewhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from kafka import KafkaConsumer, KafkaProducer

from streams.devstack import broker, postgres
from streams.devstack.process import ServiceError, ServiceHandle, pid_alive, pid_file
from streams.libpq import libpq_url
from tests import kafka_broker

pytestmark = pytest.mark.integration

# kafka-python's defaults make a group join on Tansu take ~20 s; these make it ~3 s.
GROUP_TIMEOUTS = {"session_timeout_ms": 6000, "heartbeat_interval_ms": 1000}


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A temp dir that an unprivileged service user can enter (pytest's own is 0700)."""
    path = Path(tempfile.mkdtemp(prefix="dyadwatch-services-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def group_round_trip(bootstrap: str, count: int = 5) -> list[bytes]:
    topic = f"services-{uuid.uuid4().hex[:8]}"
    broker.ensure_topics(bootstrap, {topic: 3})
    producer = KafkaProducer(bootstrap_servers=bootstrap)
    sent = [f"record-{i}".encode() for i in range(count)]
    for i, value in enumerate(sent):
        producer.send(topic, key=str(i).encode(), value=value)
    producer.flush(timeout=10)
    producer.close()
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"services-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        **GROUP_TIMEOUTS,
    )
    received: list[bytes] = []
    deadline = time.monotonic() + 30
    try:
        while len(received) < count and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                received.extend(record.value for record in records)
    finally:
        consumer.close()
    return sorted(received)


def assert_gone(handle: ServiceHandle) -> None:
    assert not handle.alive()
    assert not pid_alive(handle.pid) or handle.process is not None
    assert not pid_file(handle.data_dir, handle.name).exists()


def test_tansu_round_trip_and_stop(tmp_path: Path) -> None:
    with broker.start_tansu(tmp_path) as tansu:
        assert broker.find_broker(tmp_path) is not None
        assert group_round_trip(tansu.bootstrap) == [f"record-{i}".encode() for i in range(5)]
    assert_gone(tansu)
    assert broker.find_broker(tmp_path) is None


@pytest.mark.skipif(not kafka_broker.java_available(), reason="Apache Kafka needs Java 17+")
def test_kafka_round_trip_restart_and_stop(tmp_path: Path) -> None:
    with kafka_broker.start_kafka(tmp_path) as kafka:
        assert kafka.url == f"kafka://{kafka.bootstrap}"
        assert group_round_trip(kafka.bootstrap) == [f"record-{i}".encode() for i in range(5)]
    assert_gone(kafka)
    # Same data dir, fresh ports: the formatted storage is reused, not formatted again.
    with kafka_broker.start_kafka(tmp_path) as again:
        assert again.port != 0
    assert_gone(again)


def test_broker_started_by_another_process_is_found_and_stopped(tmp_path: Path) -> None:
    starter = (
        "import sys; from streams.devstack.broker import start_tansu; start_tansu(sys.argv[1])"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    subprocess.run([sys.executable, "-c", starter, str(tmp_path)], check=True, env=env, cwd=root)
    found = broker.find_broker(tmp_path)
    assert found is not None and found.alive() and found.process is None
    broker.probe_broker(found.bootstrap)
    assert broker.stop_broker(tmp_path)
    assert not found.alive()
    assert broker.find_broker(tmp_path) is None


def test_postgres_side_by_side_databases_and_restart(open_dir: Path) -> None:
    first_dir, second_dir = open_dir / "one", open_dir / "two"
    with postgres.start_postgres(first_dir) as first, postgres.start_postgres(second_dir) as second:
        assert first.port != second.port
        run_url = postgres.create_database(first.url, "services_run")
        with psycopg.connect(libpq_url(run_url)) as conn:
            conn.execute("create table kept (id int primary key)")
            conn.execute("insert into kept values (7)")
        with pytest.raises(ServiceError, match="already exists"):
            postgres.create_database(first.url, "services_run")
        postgres.probe(second.url)
    assert_gone(first)
    assert_gone(second)
    with postgres.start_postgres(first_dir) as restarted:
        run_url = postgres.with_database(restarted.url, "services_run")
        with psycopg.connect(libpq_url(run_url)) as conn:
            assert conn.execute("select id from kept").fetchall() == [(7,)]
        postgres.drop_database(restarted.url, "services_run")
        assert postgres.find_postgres(first_dir) is not None
        assert postgres.stop_postgres(first_dir)
    assert not restarted.alive()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root hands PostgreSQL to a service user")
def test_postgres_under_private_dir_fails_clearly(open_dir: Path) -> None:
    private = open_dir / "private"
    private.mkdir(mode=0o700)
    with pytest.raises(ServiceError, match="cannot enter"):
        postgres.start_postgres(private / "pg")
    handle = postgres.start_postgres(private / "pg", grant_traverse=True)
    with handle:
        postgres.probe(handle.url)
    assert_gone(handle)
