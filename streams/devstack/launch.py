"""Launching a service: spawn it in its own session, then wait until it really answers."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from streams.devstack.process import ServiceError, ServiceHandle, primary_group, start_ticks
from streams.logs import get_logger

log = get_logger(__name__)

LOG_TAIL_LINES = 40
# How the services we run report a port taken between our pick and their bind.
PORT_CLASH = re.compile(
    r"address (already )?in use|AddrInUse|could not bind|BindException", re.IGNORECASE
)


def log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last lines of a service log, for error messages."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])


def spawn(
    name: str,
    argv: Sequence[str],
    *,
    data_dir: Path,
    log_file: Path,
    host: str,
    port: int,
    url: str,
    env: dict[str, str] | None = None,
    user: str | None = None,
    stop_signal: int = signal.SIGTERM,
    stop_timeout: float = 30.0,
    extra: dict[str, Any] | None = None,
) -> ServiceHandle:
    """Start ``argv`` in a new session (its own process group) with output to ``log_file``."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as out:
        try:
            process = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=data_dir,
                env=env,
                user=user,
                # Without these the child keeps root's group and supplementary groups.
                group=primary_group(user),
                extra_groups=[] if user is not None else None,
                start_new_session=True,
            )
        except OSError as exc:
            raise ServiceError(f"cannot start {name}: {exc}") from exc
    handle = ServiceHandle(
        name=name,
        pid=process.pid,
        host=host,
        port=port,
        url=url,
        data_dir=Path(data_dir),
        log_file=log_file,
        stop_signal=stop_signal,
        stop_timeout=stop_timeout,
        started_ticks=start_ticks(process.pid),
        extra=dict(extra or {}),
        process=process,
    )
    handle.write_pid_file()
    return handle


def wait_ready(
    handle: ServiceHandle,
    probe: Callable[[], None],
    *,
    timeout: float,
    started: float,
    interval: float = 0.5,
) -> None:
    """Call ``probe`` until it returns without raising; stop the service on failure.

    ``started`` is the ``time.monotonic()`` of the launch, so the logged duration
    covers everything the caller did before spawning (downloads, initdb, format).
    """
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while time.monotonic() < deadline:
        if not handle.alive():
            handle.stop(timeout=0)
            raise ServiceError(
                f"{handle.name} exited during start-up; log {handle.log_file}:\n"
                f"{log_tail(handle.log_file)}"
            )
        try:
            probe()
        except Exception as exc:  # any failure of the probe means "not yet"
            last_error = exc
            time.sleep(interval)
            continue
        log.info(
            "service ready",
            service=handle.name,
            pid=handle.pid,
            url=handle.url,
            seconds=round(time.monotonic() - started, 2),
        )
        return
    handle.stop(timeout=10)
    raise ServiceError(
        f"{handle.name} did not answer within {timeout:.0f}s (last error: {last_error!r}); "
        f"log {handle.log_file}:\n{log_tail(handle.log_file)}"
    )


def retry_port_clash(
    start: Callable[[], ServiceHandle], *, auto_port: bool, attempts: int = 3
) -> ServiceHandle:
    """Run ``start`` again when a port we picked was taken before the service bound it.

    Picking a free port and binding it are two steps, so parallel starts can collide;
    a port the caller chose explicitly is never silently replaced.
    """
    for attempt in range(1, attempts + 1):
        try:
            return start()
        except ServiceError as exc:
            if not auto_port or attempt == attempts or not PORT_CLASH.search(str(exc)):
                raise
            log.warning("port taken before the service bound it; retrying", attempt=attempt)
    raise AssertionError("unreachable")
