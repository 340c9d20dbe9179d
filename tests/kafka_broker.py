"""Apache Kafka (KRaft, single node) from the official jars, for the tests and benchmarks:
production runs Apache Kafka, so everything is also tried on it, not only on the embedded
broker. Java 17+ on PATH; the jars come from Maven Central once (`tests/kafka_jars.py`)."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path

from streams.devstack.broker import KAFKA, probe_broker
from streams.devstack.launch import log_tail, retry_port_clash, spawn, wait_ready
from streams.devstack.process import (
    HOST,
    ServiceError,
    ServiceHandle,
    ensure_not_running,
    resolve_port,
)
from tests.kafka_jars import KAFKA_VERSION, fetch_kafka_jars

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
