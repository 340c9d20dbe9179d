"""Database engine and migrations, shared by the CLI, the worker and Alembic."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import psycopg
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from streams.logs import get_logger

__all__ = [
    "alembic_config",
    "engine_for",
    "migrate",
    "one_by_one_on_failure",
    "unavailable",
    "until_available",
]

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
T = TypeVar("T")
Item = TypeVar("Item")
R = TypeVar("R")
_MAX_DELAY = 10.0
log = get_logger(__name__)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.cmd_opts = None
    cfg.attributes["url"] = url
    return cfg


def migrate(url: str, revision: str = "head") -> None:
    """Upgrade the schema; run under an advisory lock so concurrent starters wait, not race."""
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7253901)")
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(url: str, revision: str) -> None:
    engine = engine_for(url)
    with engine.begin() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def unavailable(exc: BaseException) -> bool:
    """The database could not be reached or lost the connection: worth waiting for, unlike
    an error of one statement's data, which no retry cures."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError) or isinstance(
        getattr(exc, "orig", None), psycopg.OperationalError
    )


def until_available(work: Callable[[], T], what: str) -> T:
    """Run `work`, waiting out a database outage with a capped backoff instead of failing:
    the stage holds its batch (and its offsets) until PostgreSQL is back."""
    delay = 0.5
    while True:
        try:
            return work()
        except Exception as exc:
            if not unavailable(exc):
                raise
            log.warning("database unavailable", stage=what, retry_in=delay, error=str(exc)[:200])
            time.sleep(delay)
            delay = min(delay * 2, _MAX_DELAY)


def one_by_one_on_failure(
    items: Sequence[Item],
    run: Callable[[Sequence[Item]], R],
    failed: Callable[[Item, Exception], None],
) -> list[R]:
    """`run(items)` as one transaction; when the database refuses it for what some item holds,
    each item runs alone and the ones refused again go to `failed`: one bad record never
    holds back the others. An outage is raised, for `until_available` to wait out."""
    try:
        return [run(items)]
    except Exception as exc:
        if unavailable(exc) or not items:
            raise
        if len(items) == 1:
            failed(items[0], exc)
            return []
        log.warning("batch refused, running its records one by one", error=str(exc)[:300])
    out: list[R] = []
    for item in items:
        try:
            out.append(run([item]))
        except Exception as exc:
            if unavailable(exc):
                raise
            failed(item, exc)
    return out
