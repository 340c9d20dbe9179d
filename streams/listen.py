"""PostgreSQL LISTEN as an asyncio wake-up: writers' triggers NOTIFY, readers stop polling.

One connection per process serves any number of waiters. A lost connection is reopened; the
waiters meanwhile fall back on their own timeouts, so a notification missed is a delay, never
a lost alert (they always re-read the tables).

The channels are named here once, for the triggers of migrations 0003 and 0006 and for every
process that listens: the API and the alerts stage (alerts, deliveries), the dashboard (changes).
"""

from __future__ import annotations

import asyncio
import contextlib

import psycopg

from streams.libpq import libpq_url
from streams.logs import get_logger

log = get_logger(__name__)

ALERTS_CHANNEL = "dyadwatch_alerts"  # a new alert row
DELIVERIES_CHANNEL = "dyadwatch_deliveries"  # a new webhook delivery to make
CHANGES_CHANNEL = "dyadwatch_changes"  # a new dyad change, for the dashboard's live feed


class Listener:
    def __init__(self, database_url: str, channel: str) -> None:
        self._dsn = libpq_url(database_url)
        self._channel = channel
        self._changed = asyncio.Condition()
        self._generation = 0
        self._task: asyncio.Task[None] | None = None

    @property
    def generation(self) -> int:
        return self._generation

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def wait(self, seen: int, timeout: float) -> int:
        """Wait until a notification newer than generation `seen`, or the timeout."""
        async with self._changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: self._generation != seen), timeout
                )
            return self._generation

    async def _bump(self) -> None:
        async with self._changed:
            self._generation += 1
            self._changed.notify_all()

    async def _run(self) -> None:
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(self._dsn, autocommit=True)
                async with conn:
                    await conn.execute(f'LISTEN "{self._channel}"')
                    # Whatever was written while we were not listening is worth a look.
                    await self._bump()
                    async for _ in conn.notifies():
                        await self._bump()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # any database trouble: wait, reconnect
                log.warning("listen reconnecting", channel=self._channel, error=type(exc).__name__)
                await asyncio.sleep(1.0)
