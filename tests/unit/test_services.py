"""Service launchers: configuration rendering, ports, pid files and process stopping."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from streams.devstack import launch, postgres, process
from streams.devstack.launch import spawn, wait_ready
from streams.devstack.process import ServiceError, find_service, pid_file
from streams.libpq import libpq_url
from tests import kafka_broker, kafka_jars

POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def parse_properties(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if line and line[0] != "#")
    return {key: value for key, value in pairs}


def test_server_properties_single_node_kraft(tmp_path: Path) -> None:
    props = parse_properties(
        kafka_broker.render_server_properties(port=9092, controller_port=9093, log_dir=tmp_path)
    )
    assert props["process.roles"] == "broker,controller"
    assert props["node.id"] == "1"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:9093"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093"
    assert props["advertised.listeners"].startswith("PLAINTEXT://127.0.0.1:9092")
    assert props["log.dirs"] == str(tmp_path)
    assert props["auto.create.topics.enable"] == "true"
    assert props["group.initial.rebalance.delay.ms"] == "0"
    for key in (
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "transaction.state.log.min.isr",
        "min.insync.replicas",
    ):
        assert props[key] == "1", key


def test_no_listener_binds_beyond_loopback(tmp_path: Path) -> None:
    text = kafka_broker.render_server_properties(port=1, controller_port=2, log_dir=tmp_path)
    assert "0.0.0.0" not in text
    assert "localhost" not in text


def test_log4j2_config_is_quiet() -> None:
    props = parse_properties(kafka_broker.render_log4j2().replace(" = ", "="))
    assert props["rootLogger.level"] == "WARN"


def test_cluster_id_is_kafka_uuid() -> None:
    cluster_id = kafka_broker.new_cluster_id()
    assert len(cluster_id) == 22
    assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16
    assert cluster_id != kafka_broker.new_cluster_id()


def test_pom_asks_for_broker_and_log_binding() -> None:
    root = ET.fromstring(kafka_jars.render_pom("4.1.1"))
    deps = {
        (
            d.findtext("m:groupId", namespaces=POM_NS),
            d.findtext("m:artifactId", namespaces=POM_NS),
        ): d.findtext("m:version", namespaces=POM_NS)
        for d in root.iterfind("m:dependencies/m:dependency", POM_NS)
    }
    assert deps[("org.apache.kafka", "kafka_2.13")] == "4.1.1"
    assert ("org.apache.logging.log4j", "log4j-slf4j2-impl") in deps
    assert root.findtext("m:packaging", namespaces=POM_NS) == "pom"


def test_complete_cache_never_runs_maven(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    libs = kafka_jars.libs_dir(tmp_path)
    libs.mkdir()
    (libs / "kafka_2.13-4.1.1.jar").write_bytes(b"")
    (libs / kafka_jars.COMPLETE_MARKER).write_text("kafka_2.13-4.1.1.jar\n")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("maven was called although the cache is complete")

    monkeypatch.setattr(kafka_jars, "_download", no_network)
    assert kafka_jars.fetch_kafka_jars("4.1.1", tmp_path) == libs


def test_incomplete_cache_is_fetched_again(tmp_path: Path) -> None:
    libs = kafka_jars.libs_dir(tmp_path)
    libs.mkdir()
    (libs / "kafka_2.13-4.1.1.jar").write_bytes(b"")
    assert not kafka_jars.jars_complete(tmp_path)


def test_java_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    assert kafka_broker.java_available() is False


def test_free_port_is_bindable() -> None:
    port = process.free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
    assert process.resolve_port(5432) == 5432


def test_postgres_urls() -> None:
    url = postgres.postgres_url(5433)
    assert url == "postgresql+psycopg://postgres@127.0.0.1:5433/postgres"
    assert libpq_url(url) == "postgresql://postgres@127.0.0.1:5433/postgres"
    assert postgres.with_database(url, "run_1").endswith(":5433/run_1")


def test_socket_left_out_when_path_too_long(tmp_path: Path) -> None:
    short = postgres.server_argv(Path("/bin"), Path("/d/pgdata"), 5432)
    assert "unix_socket_directories=/d/pgdata" in short
    long = postgres.server_argv(Path("/bin"), Path("/" + "x" * 120), 5432)
    assert "unix_socket_directories=" in long
    assert "listen_addresses=127.0.0.1" in long


def test_blocked_dirs_names_private_parents(tmp_path: Path) -> None:
    private = tmp_path / "private"
    data = private / "data"
    data.mkdir(parents=True)
    private.chmod(0o700)
    other_uid = os.getuid() + 4242
    blocked = postgres.blocked_dirs(data, other_uid, set())
    assert private in blocked
    private.chmod(0o711)
    assert private not in postgres.blocked_dirs(data, other_uid, set())


def sleeper(tmp_path: Path, script: str = "sleep 30") -> process.ServiceHandle:
    return spawn(
        "sleeper",
        ["sh", "-c", script],
        data_dir=tmp_path,
        log_file=tmp_path / "sleeper.log",
        host="127.0.0.1",
        port=1,
        url="test://sleeper",
        stop_timeout=5.0,
    )


def test_pid_file_finds_and_stops_service(tmp_path: Path) -> None:
    handle = sleeper(tmp_path)
    record = json.loads(pid_file(tmp_path, "sleeper").read_text())
    assert record["pid"] == handle.pid
    found = find_service(tmp_path, "sleeper")
    assert found is not None and found.pid == handle.pid and found.process is None
    assert process.stop_service(tmp_path, "sleeper")
    handle.process and handle.process.wait(timeout=5)
    assert not handle.alive()
    assert not pid_file(tmp_path, "sleeper").exists()
    assert not process.stop_service(tmp_path, "sleeper")


def test_stale_pid_file_is_removed(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid_file(tmp_path, "gone").write_text(
        json.dumps(
            {"pid": int(done.stdout), "host": "127.0.0.1", "port": 1, "url": "x", "log_file": "x"}
        )
    )
    assert find_service(tmp_path, "gone") is None
    assert not pid_file(tmp_path, "gone").exists()


def test_unreadable_pid_file_is_ignored(tmp_path: Path) -> None:
    pid_file(tmp_path, "junk").write_text("not json")
    assert find_service(tmp_path, "junk") is None


def test_stubborn_process_group_is_killed(tmp_path: Path) -> None:
    handle = sleeper(tmp_path, "trap '' TERM; sleep 30 & wait")
    time.sleep(0.3)
    started = time.monotonic()
    handle.stop(timeout=1.0)
    assert time.monotonic() - started < 5
    assert not handle.alive()
    deadline = time.monotonic() + 5
    while group_members(handle.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert group_members(handle.pid) == []


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes of a process group; zombies wait only for a reaper."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        state, _ppid, group = text[text.rindex(")") + 2 :].split()[:3]
        if int(group) == pgid and state != "Z":
            members.append(int(stat.parent.name))
    return members


def test_context_manager_stops(tmp_path: Path) -> None:
    with sleeper(tmp_path) as handle:
        assert handle.alive()
    assert not handle.alive()


def test_exit_during_start_reports_log_tail(tmp_path: Path) -> None:
    handle = sleeper(tmp_path, "echo broken config line; exit 3")

    def never_ready() -> None:
        raise ConnectionRefusedError

    with pytest.raises(ServiceError, match="broken config line"):
        wait_ready(handle, never_ready, timeout=10, started=time.monotonic())
    assert not pid_file(tmp_path, "sleeper").exists()


def test_second_start_in_same_dir_is_refused(tmp_path: Path) -> None:
    with sleeper(tmp_path), pytest.raises(ServiceError, match="already runs"):
        process.ensure_not_running(tmp_path, "sleeper")


def test_port_clash_is_retried_only_for_picked_ports(tmp_path: Path) -> None:
    calls: list[int] = []

    def start() -> process.ServiceHandle:
        calls.append(1)
        if len(calls) == 1:
            raise ServiceError("FATAL: could not bind IPv4 address: Address already in use")
        return sleeper(tmp_path)

    with launch.retry_port_clash(start, auto_port=True) as handle:
        assert handle.alive()
    assert len(calls) == 2
    calls.clear()
    with pytest.raises(ServiceError, match="already in use"):
        launch.retry_port_clash(start, auto_port=False)
    assert len(calls) == 1


def test_other_start_errors_are_not_retried() -> None:
    calls: list[int] = []

    def start() -> process.ServiceHandle:
        calls.append(1)
        raise ServiceError("initdb failed")

    with pytest.raises(ServiceError, match="initdb failed"):
        launch.retry_port_clash(start, auto_port=True)
    assert calls == [1]


@pytest.mark.parametrize(
    "line",
    [
        'FATAL:  could not bind IPv4 address "127.0.0.1": Address already in use',
        'err=Io(Os { code: 98, kind: AddrInUse, message: "Address in use" })',
        "org.apache.kafka.common.KafkaException: Socket server failed to bind: BindException",
    ],
)
def test_port_clash_messages_of_each_service(line: str) -> None:
    assert launch.PORT_CLASH.search(line)
