"""Publishing an outbox table to Kafka: rows are locked, sent, acknowledged, then marked.

The state and alerts stages both record what they publish in a table first. The database
work runs in a thread, so the worker's event loop goes on fetching and sending meanwhile;
the connection stays open across the sends, so the rows stay locked (other publishers skip
them) until they are marked. A crash before the mark sends them again under the same ids.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine

from streams.db import unavailable
from streams.logs import get_logger

log = get_logger(__name__)

# (row id, Kafka key, Kafka value)
Pending = tuple[str, bytes, bytes]
Take = Callable[[Connection, int], Sequence[Pending]]
Mark = Callable[[Connection, list[str]], None]


async def drain(engine: Engine, topic: Any, take: Take, mark: Mark, *, limit: int = 500) -> int:
    """Publish every unpublished row; the number sent. While the database is unreachable
    nothing is sent: the rows wait in their table for the next drain."""
    try:
        return await _drain(engine, topic, take, mark, limit)
    except Exception as exc:
        if not unavailable(exc):
            raise
        log.warning("database unavailable, outbox waits", error=str(exc)[:200])
        return 0


async def _drain(engine: Engine, topic: Any, take: Take, mark: Mark, limit: int) -> int:
    total = 0
    while True:
        conn, pending = await asyncio.to_thread(_open, engine, take, limit)
        if conn is None:
            return total
        try:
            sent = [await topic.send(key=key, value=value) for _id, key, value in pending]
            for future in sent:
                await future
            await asyncio.to_thread(_finish, conn, mark, [p[0] for p in pending])
        finally:
            # Rolls back, and so unlocks, whatever was not marked.
            await asyncio.to_thread(conn.close)
        total += len(pending)
        if len(pending) < limit:
            return total


def _open(engine: Engine, take: Take, limit: int) -> tuple[Connection | None, Sequence[Pending]]:
    conn = engine.connect()
    try:
        conn.begin()
        pending = take(conn, limit)
    except BaseException:
        conn.close()
        raise
    if not pending:
        conn.close()
        return None, pending
    return conn, pending


def _finish(conn: Connection, mark: Mark, ids: list[str]) -> None:
    mark(conn, ids)
    conn.commit()
