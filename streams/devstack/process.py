"""A running local service: its handle, its pid file, and how to stop it.

Every launcher in this package starts one server process in its own process group and
writes a pid file into its data directory, so that another process (``dyadwatch down``)
can find and stop it later.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from streams.errors import DyadwatchError
from streams.logs import get_logger

log = get_logger(__name__)

HOST = "127.0.0.1"


class ServiceError(DyadwatchError):
    """A local service could not be started, reached or stopped."""


def free_port(host: str = HOST) -> int:
    """A port that nothing listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def resolve_port(port: int, host: str = HOST) -> int:
    return port if port else free_port(host)


def primary_group(user: str | None) -> int | None:
    return None if user is None else pwd.getpwnam(user).pw_gid


def pid_file(data_dir: Path, name: str) -> Path:
    return Path(data_dir) / f"{name}.pid"


def start_ticks(pid: int) -> int | None:
    """Kernel start time of a process, to tell a live service from a reused pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and parentheses; fields resume after the last ')'.
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[19])


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    # A zombie has exited already; only its parent's wait() is missing.
    return stat[stat.rindex(")") + 2] != "Z"


@dataclass
class ServiceHandle:
    """A running service: where to reach it and how to stop it."""

    name: str
    pid: int
    host: str
    port: int
    url: str
    data_dir: Path
    log_file: Path
    stop_signal: int = signal.SIGTERM
    stop_timeout: float = 30.0
    started_ticks: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False, compare=False)

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def alive(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        if not pid_alive(self.pid):
            return False
        return self.started_ticks is None or start_ticks(self.pid) == self.started_ticks

    def stop(self, timeout: float | None = None) -> None:
        """Ask the service to stop cleanly; kill its whole process group after ``timeout``."""
        timeout = self.stop_timeout if timeout is None else timeout
        was_alive = self.alive()
        if was_alive:
            log.info("stopping", service=self.name, pid=self.pid)
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, self.stop_signal)
            if not self._wait_gone(timeout):
                log.warning(
                    "did not stop; killing", service=self.name, pid=self.pid, waited=timeout
                )
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.pid, signal.SIGKILL)
                if not self._wait_gone(10.0):
                    raise ServiceError(f"{self.name} (pid {self.pid}) survived SIGKILL")
        if was_alive:
            # Helpers forked by the service share its group; none may outlive it. Only
            # done when the leader was ours a moment ago, so a reused pid is never hit.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)
        pid_file(self.data_dir, self.name).unlink(missing_ok=True)

    def _wait_gone(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout=0.2)
            else:
                time.sleep(0.2)
            if not self.alive():
                return True
        return not self.alive()

    def write_pid_file(self) -> None:
        record = {
            "pid": self.pid,
            "host": self.host,
            "port": self.port,
            "url": self.url,
            "log_file": str(self.log_file),
            "stop_signal": int(self.stop_signal),
            "started_ticks": self.started_ticks,
            "extra": self.extra,
        }
        path = pid_file(self.data_dir, self.name)
        tmp = path.with_suffix(".pid.tmp")
        tmp.write_text(json.dumps(record, indent=2) + "\n")
        tmp.replace(path)

    def __enter__(self) -> ServiceHandle:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def find_service(data_dir: Path, name: str) -> ServiceHandle | None:
    """The service an earlier process started in ``data_dir``, if it still runs.

    A pid file whose process is gone (or whose pid now belongs to another program)
    is removed, so a later start is not blocked by it.
    """
    path = pid_file(data_dir, name)
    try:
        record = json.loads(path.read_text())
        handle = ServiceHandle(
            name=name,
            pid=int(record["pid"]),
            host=str(record["host"]),
            port=int(record["port"]),
            url=str(record["url"]),
            data_dir=Path(data_dir),
            log_file=Path(record["log_file"]),
            stop_signal=int(record.get("stop_signal", signal.SIGTERM)),
            started_ticks=record.get("started_ticks"),
            extra=dict(record.get("extra") or {}),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring unreadable pid file", path=str(path), error=str(exc))
        path.unlink(missing_ok=True)
        return None
    if not handle.alive():
        log.info("removing stale pid file", path=str(path), pid=handle.pid)
        path.unlink(missing_ok=True)
        return None
    return handle


def stop_service(data_dir: Path, name: str, timeout: float | None = None) -> bool:
    """Stop the service recorded in ``data_dir``; False when none was running."""
    handle = find_service(data_dir, name)
    if handle is None:
        return False
    handle.stop(timeout)
    return True


def ensure_not_running(data_dir: Path, name: str) -> None:
    running = find_service(data_dir, name)
    if running is not None:
        raise ServiceError(
            f"{name} already runs from {data_dir} (pid {running.pid}, {running.url}); "
            "stop it first or reuse it"
        )
