"""The webhook delivery loop: signed POSTs with timeouts, retries with backoff, dead letters.

Deliveries wait in PostgreSQL. Each loop leases due ones (several processes never share a
lease), posts them concurrently, and records every attempt. Slots are counted per endpoint,
so a slow or dead receiver holds at most `webhook_concurrency` of them and never delays the
others. A crash mid-attempt leaves a lease that expires: the alert is sent again with the same
Idempotency-Key, which is how the receiver tells a retry from a new alert.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections import Counter
from collections.abc import Callable

import httpx
from sqlalchemy import Engine

from streams.alerts.listen import DELIVERIES, Listener
from streams.alerts.repository import (
    Claim,
    Outcome,
    claim_due,
    record_attempt,
    seconds_to_next_due,
)
from streams.alerts.schedule import RetryPolicy
from streams.alerts.signing import HEADER, sign
from streams.alerts.ssrf import Resolver, UnsafeUrl, check_url, system_resolver
from streams.logs import get_logger
from streams.settings import Settings

log = get_logger(__name__)

USER_AGENT = "dyadwatch-webhooks/1"
CLAIM_LIMIT = 200
IDLE_POLL = 1.0  # seconds: catches due retries and notifications missed while reconnecting


class Deliverer:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        resolver: Resolver = system_resolver,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine
        self.policy = RetryPolicy(
            settings.webhook_backoff_base,
            settings.webhook_backoff_cap,
            settings.webhook_max_attempts,
        )
        self.allow_private = settings.webhook_allow_private
        self.timeout = settings.webhook_timeout
        self.slots = settings.webhook_concurrency
        self.resolver = resolver
        self.clock = clock
        self.listener = Listener(settings.database_url_value() or "", DELIVERIES)
        self.in_flight: Counter[str] = Counter()
        self._done = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        self.listener.start()
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=100)
        timeout = httpx.Timeout(self.timeout, connect=min(self.timeout, 3.0))
        seen = self.listener.generation
        try:
            async with httpx.AsyncClient(
                timeout=timeout, limits=limits, follow_redirects=False, trust_env=False
            ) as client:
                while True:
                    claims = await asyncio.to_thread(self._claim)
                    for claim in claims:
                        self._spawn(client, claim)
                    if len(claims) >= CLAIM_LIMIT:
                        continue
                    wait = await asyncio.to_thread(self._idle_wait)
                    self._done.clear()
                    woken = asyncio.ensure_future(self.listener.wait(seen, wait))
                    finished = asyncio.ensure_future(self._done.wait())
                    await asyncio.wait({woken, finished}, return_when=asyncio.FIRST_COMPLETED)
                    finished.cancel()
                    if woken.done():
                        seen = woken.result()
                    else:
                        woken.cancel()
        finally:
            for task in list(self._tasks):
                task.cancel()
            await self.listener.stop()

    def _claim(self) -> list[Claim]:
        free = {e: self.slots - n for e, n in self.in_flight.items() if n}
        free[""] = self.slots
        full = [e for e, n in free.items() if e and n <= 0]
        with self.engine.begin() as conn:
            return claim_due(
                conn, free=free, full=full, limit=CLAIM_LIMIT, lease=self.timeout + 30.0
            )

    def _idle_wait(self) -> float:
        with self.engine.connect() as conn:
            due = seconds_to_next_due(conn)
        return IDLE_POLL if due is None else min(IDLE_POLL, max(due, 0.01))

    def _spawn(self, client: httpx.AsyncClient, claim: Claim) -> None:
        self.in_flight[claim.endpoint] += 1
        task = asyncio.ensure_future(self._deliver(client, claim))
        self._tasks.add(task)

        def _finished(t: asyncio.Task[None]) -> None:
            self._tasks.discard(t)
            self.in_flight[claim.endpoint] -= 1
            self._done.set()
            if not t.cancelled() and t.exception() is not None:
                log.error("delivery task failed", alert=claim.alert_id, error=repr(t.exception()))

        task.add_done_callback(_finished)

    async def _deliver(self, client: httpx.AsyncClient, claim: Claim) -> None:
        outcome = await self.attempt(client, claim)
        retry_in = None
        if not outcome.ok and not self.policy.gives_up(claim.attempt):
            retry_in = self.policy.delay(claim.attempt)
        status = await asyncio.to_thread(self._record, claim, outcome, retry_in)
        fields = {
            "alert": claim.alert_id,
            "endpoint": claim.endpoint,
            "attempt": claim.attempt,
            "status": outcome.status_code,
            "ms": round(outcome.latency_ms, 1),
        }
        if status == "delivered":
            log.info("webhook delivered", **fields)
        elif status == "dead":
            log.warning("webhook dead-lettered", error=outcome.error, **fields)
        else:
            retry = round(retry_in or 0.0, 2)
            log.info("webhook retry", error=outcome.error, retry_in=retry, **fields)

    def _record(self, claim: Claim, outcome: Outcome, retry_in: float | None) -> str:
        with self.engine.begin() as conn:
            return record_attempt(conn, claim, outcome, retry_in=retry_in)

    async def attempt(self, client: httpx.AsyncClient, claim: Claim) -> Outcome:
        """One signed POST; never raises for the receiver's or the network's faults."""
        started = dt.datetime.now(dt.UTC)
        t0 = time.perf_counter()
        code: int | None = None
        error: str | None = None
        try:
            await asyncio.to_thread(
                check_url, claim.url, allow_private=self.allow_private, resolver=self.resolver
            )
            headers = {
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "Idempotency-Key": claim.alert_id,
                HEADER: sign(claim.secret, int(self.clock()), claim.body),
            }
            # The receiver's answer is not read: a huge or endless body costs us nothing.
            async with client.stream("POST", claim.url, content=claim.body, headers=headers) as r:
                code = r.status_code
            if not 200 <= code < 300:
                error = f"HTTP {code}"
        except UnsafeUrl as exc:
            error = f"unsafe url: {exc}"
        except httpx.TimeoutException:
            error = "timeout"
        except httpx.HTTPError as exc:
            error = type(exc).__name__
        return Outcome(started, (time.perf_counter() - t0) * 1000, code, error)
