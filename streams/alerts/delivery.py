"""The webhook delivery loop: signed POSTs with timeouts, retries with backoff, dead letters.

Deliveries wait in PostgreSQL. The loop leases due ones (several processes never share a
lease), posts them concurrently and records the attempts in batches. Slots are counted per
endpoint, so a slow or dead receiver holds at most `webhook_concurrency` of them and never
delays the others; a slot frees as soon as its request ends, while the lease keeps the
delivery from being taken again until its attempt is on record. A crash mid-attempt leaves
a lease that expires: the alert is sent again with the same Idempotency-Key, which is how
the receiver tells a retry from a new alert.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Callable
from urllib.parse import urlsplit

import aiohttp
from sqlalchemy import Engine

from streams.alerts.pinned_resolver import PinnedResolver
from streams.alerts.queue import Claim, Outcome, claim_due, record_attempts, seconds_to_next_due
from streams.alerts.schedule import RetryPolicy
from streams.alerts.signing import HEADER, sign
from streams.listen import DELIVERIES_CHANNEL, Listener
from streams.logs import get_logger
from streams.sealing import Sealer
from streams.settings import Settings
from streams.ssrf import Resolver, UnsafeUrl, check_url, system_resolver

log = get_logger(__name__)

USER_AGENT = "dyadwatch-webhooks/1"
CLAIM_LIMIT = 200
IDLE_POLL = 1.0  # seconds: catches due retries and notifications missed while reconnecting
CHECK_TTL = 30.0  # seconds an address check stands, like a short DNS TTL
RECORD_WAIT = 0.05  # seconds
# A reply this short is read to its end, so its connection serves the next POST; a longer
# one is cut off with its connection: a huge or endless body costs us nothing.
KEEP_ALIVE_BODY = 16 * 1024

Result = tuple[Claim, Outcome, float | None]


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
        self.allow_private = settings.private_urls_allowed()
        self.sealer = Sealer.from_settings(settings)
        self.timeout = settings.webhook_timeout
        self.slots = settings.webhook_concurrency
        self.resolver = resolver
        self.clock = clock
        url = engine.url.render_as_string(hide_password=False)
        self.listener = Listener(url, DELIVERIES_CHANNEL)
        self.in_flight: Counter[str] = Counter()
        self._checked: dict[str, float] = {}
        self._results: list[Result] = []
        self._tasks: set[asyncio.Future[None]] = set()

    async def run(self) -> None:
        self._done = asyncio.Event()
        self._freed = asyncio.Event()
        self.listener.start()
        timeout = aiohttp.ClientTimeout(total=self.timeout, connect=min(self.timeout, 3.0))
        # Slots are counted per endpoint above; the connector itself sets no limit.
        # Connections go only to addresses that passed the SSRF check (no DNS rebinding).
        connector = aiohttp.TCPConnector(
            limit=0,
            limit_per_host=0,
            keepalive_timeout=30.0,
            resolver=PinnedResolver(allow_private=self.allow_private, resolver=self.resolver),
        )
        recorder = asyncio.ensure_future(self._record_loop())
        try:
            async with aiohttp.ClientSession(
                connector=connector,
                timeout=timeout,
                auto_decompress=False,
                trust_env=False,
                skip_auto_headers=("Accept-Encoding",),
            ) as client:
                await self._claim_loop(client)
        finally:
            # Requests cut short here keep their leases: they go out again once those expire.
            for task in [recorder, *self._tasks]:
                task.cancel()
            await asyncio.gather(recorder, *self._tasks, return_exceptions=True)
            await self.listener.stop()

    async def _claim_loop(self, client: aiohttp.ClientSession) -> None:
        while True:
            seen = self.listener.generation
            # Cleared before the claim: a slot freed meanwhile must wake the wait below.
            self._freed.clear()
            claims = await asyncio.to_thread(self._claim)
            for claim in claims:
                self.in_flight[claim.endpoint] += 1
                task = asyncio.ensure_future(self._deliver(client, claim))
                self._tasks.add(task)  # the loop holds tasks weakly
                task.add_done_callback(self._tasks.discard)
            if len(claims) >= CLAIM_LIMIT:
                continue
            wait = IDLE_POLL if claims else await asyncio.to_thread(self._idle_wait)
            woken = asyncio.ensure_future(self.listener.wait(seen, wait))
            freed = asyncio.ensure_future(self._freed.wait())
            try:
                await asyncio.wait({woken, freed}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                woken.cancel()
                freed.cancel()

    def _claim(self) -> list[Claim]:
        free = {e: self.slots - n for e, n in self.in_flight.items() if n}
        free[""] = self.slots
        with self.engine.begin() as conn:
            return claim_due(
                conn, free=free, limit=CLAIM_LIMIT, lease=self.timeout + 30.0, sealer=self.sealer
            )

    def _idle_wait(self) -> float:
        with self.engine.connect() as conn:
            due = seconds_to_next_due(conn)
        return IDLE_POLL if due is None else min(IDLE_POLL, max(due, 0.01))

    async def _deliver(self, client: aiohttp.ClientSession, claim: Claim) -> None:
        try:
            outcome = await self.attempt(client, claim)
        except Exception as exc:  # a bug here must not leave the slot taken forever
            log.error("delivery failed", alert=claim.alert_id, error=repr(exc))
            outcome = Outcome(dt.datetime.now(dt.UTC), 0.0, None, "internal error")
        retry_in = None
        if not outcome.ok and not self.policy.gives_up(claim.attempt):
            retry_in = self.policy.delay(claim.attempt)
        self._results.append((claim, outcome, retry_in))
        self.in_flight[claim.endpoint] -= 1
        self._freed.set()
        self._done.set()

    async def _record_loop(self) -> None:
        """Write finished attempts in batches."""
        while True:
            await self._done.wait()
            # Slots are free already and leases hold the deliveries: a moment's wait lets
            # more attempts share the transaction.
            await asyncio.sleep(RECORD_WAIT)
            self._done.clear()
            batch, self._results = self._results, []
            try:
                statuses = await asyncio.to_thread(self._record, batch)
            except Exception as exc:  # the leases expire and the alerts go out again
                log.error("recording deliveries failed", error=repr(exc), count=len(batch))
                statuses = ["unrecorded"] * len(batch)
            for (claim, outcome, retry_in), status in zip(batch, statuses, strict=True):
                _log(claim, outcome, retry_in, status)
            if any(retry_in is not None for _, _, retry_in in batch):
                self._freed.set()  # a retry due very soon is worth a look

    def _record(self, batch: list[Result]) -> list[str]:
        with self.engine.begin() as conn:
            return record_attempts(conn, batch)

    async def _check(self, url: str) -> None:
        """The SSRF check, remembered per host and port for CHECK_TTL seconds."""
        parts = urlsplit(url)
        key = f"{parts.hostname}:{parts.port}:{parts.scheme}"
        if self._checked.get(key, 0.0) > time.monotonic():
            return
        await asyncio.to_thread(
            check_url, url, allow_private=self.allow_private, resolver=self.resolver
        )
        self._checked[key] = time.monotonic() + CHECK_TTL

    async def attempt(self, client: aiohttp.ClientSession, claim: Claim) -> Outcome:
        """One signed POST; never raises for the receiver's or the network's faults."""
        started = dt.datetime.now(dt.UTC)
        t0 = time.perf_counter()
        code: int | None = None
        error: str | None = None
        if claim.secret is None:  # nothing to sign with: say so in the attempt, send nothing
            error = "the webhook secret is sealed under a key this process lacks"
            return Outcome(started, 0.0, None, error)
        try:
            await self._check(claim.url)
            headers = {
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "Idempotency-Key": claim.alert_id,
                HEADER: sign(claim.secret, int(self.clock()), claim.body),
            }
            async with client.post(
                claim.url, data=claim.body, headers=headers, allow_redirects=False
            ) as r:
                code = r.status
                await _drain(r)
            if not 200 <= code < 300:
                error = f"HTTP {code}"
        except UnsafeUrl as exc:
            error = f"unsafe url: {exc}"
        except TimeoutError:
            error = "timeout"
        except aiohttp.ClientError as exc:
            error = type(exc).__name__
        return Outcome(started, (time.perf_counter() - t0) * 1000, code, error)


async def _drain(response: aiohttp.ClientResponse) -> None:
    """Read a short reply to its end so the connection is reused; drop it otherwise."""
    left = KEEP_ALIVE_BODY
    while left > 0 and not response.content.at_eof():
        chunk = await response.content.read(left)
        if not chunk:
            break
        left -= len(chunk)
    if not response.content.at_eof():
        response.close()


def _log(claim: Claim, outcome: Outcome, retry_in: float | None, status: str) -> None:
    fields = {
        "alert": claim.alert_id,
        "endpoint": claim.endpoint,
        "attempt": claim.attempt,
        "status": outcome.status_code,
        "ms": round(outcome.latency_ms, 1),
    }
    if status == "delivered":
        log.debug("webhook delivered", **fields)
    elif status == "pending":
        log.info("webhook retry", error=outcome.error, retry_in=round(retry_in or 0.0, 2), **fields)
    else:
        log.warning("webhook not delivered", outcome=status, error=outcome.error, **fields)


def run_in_thread(engine: Engine, settings: Settings) -> threading.Thread:
    """Run a Deliverer on its own event loop in a daemon thread, restarted after a failure.

    The worker's own loop blocks on database calls between batches; posting webhooks from it
    would put those pauses into every alert's latency.
    """

    def _forever() -> None:
        while True:
            try:
                asyncio.run(Deliverer(engine, settings).run())
            except Exception as exc:
                log.error("delivery loop stopped; restarting", error=repr(exc))
                time.sleep(1.0)

    thread = threading.Thread(target=_forever, name="webhook-delivery", daemon=True)
    thread.start()
    return thread
