"""The webhook delivery loop on real PostgreSQL with real local receivers: a receiver that
hangs past the timeout holds only its own slots, while another receiver gets all of its
alerts; the hung requests are recorded as timeouts, to be retried."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import Engine, insert, text

from models.alerts import Alert, EvidenceItem
from models.handles import SUBSCRIPTIONS
from models.state import DyadChange
from streams.alerts.delivery import Deliverer
from streams.alerts.match import build_alert
from streams.alerts.repository import store_alerts
from streams.settings import Settings
from streams.web.keys import create_key
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration

SLOTS = 2
TIMEOUT = 5.0  # long enough for forty local requests on a slow machine


class Hook:
    """A local receiver answering 204 after `delay` seconds; it counts what it finished."""

    def __init__(self, delay: float) -> None:
        self.done: list[str] = []
        self.started = 0
        lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with lock:
                    outer.started += 1
                time.sleep(delay)
                with lock:
                    outer.done.append(self.headers["Idempotency-Key"])
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def change(n: int) -> DyadChange:
    return DyadChange(
        id=f"change-{n:04d}",
        kind="state",
        dyad="US-VE",
        dimension="sanctions",
        actor="US",
        target="VE",
        state="active",
        previous_state="none",
        valid_from=dt.date(2019, 1, 28),
        precision="day",
        basis="stated",
        confidence=0.9,
        articles=1,
        event_id=f"event-{n:04d}",
        evidence="The United States imposed sanctions on Venezuela.",
    )


def subscribe(engine: Engine, url: str) -> str:
    sub = uuid.uuid4().hex
    with engine.begin() as conn:
        key, _ = create_key(conn, f"key-{sub[:6]}")
        conn.execute(
            insert(SUBSCRIPTIONS),
            {
                "id": sub,
                "api_key_id": key.id,
                "filters": {},
                "channel": "webhook",
                "webhook_url": url,
                "secret": "s" * 32,
            },
        )
    return sub


def queue_alerts(engine: Engine, hooks: dict[str, str], count: int) -> dict[str, list[str]]:
    """`count` alerts for each subscription, with their deliveries; alert ids per subscription."""
    now = dt.datetime.now(dt.UTC)
    evidence = [EvidenceItem(text="sentence", article_id="a1", event_id="event-0000")]
    built: list[tuple[Alert, dt.datetime | None]] = [
        (build_alert(sub, change(n), evidence, base_url="", created_at=now), None)
        for sub in hooks
        for n in range(count)
    ]
    with engine.begin() as conn:
        store_alerts(conn, built, hooks)
    return {sub: [a.id for a, _ in built if a.subscription_id == sub] for sub in hooks}


def start_deliverer(engine: Engine, settings: Settings) -> Callable[[], None]:
    """Run a Deliverer on its own loop in a thread; the stop function it returns waits."""
    loop = asyncio.new_event_loop()
    task = loop.create_task(Deliverer(engine, settings).run())

    def run() -> None:
        with contextlib.suppress(asyncio.CancelledError):
            loop.run_until_complete(task)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def stop() -> None:
        loop.call_soon_threadsafe(task.cancel)
        thread.join(30)
        loop.close()

    return stop


def statuses(engine: Engine) -> dict[str, tuple[str, int, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT alert_id, status, attempts, last_error FROM deliveries"))
        return {r[0]: (r[1], r[2], r[3]) for r in rows}


def test_a_hung_receiver_delays_no_one_else_and_its_requests_time_out(
    engine: Engine, database_url: str
) -> None:
    fast, hung = Hook(delay=0.0), Hook(delay=TIMEOUT * 6)
    stop: Callable[[], None] | None = None
    try:
        hooks = {subscribe(engine, fast.url): fast.url, subscribe(engine, hung.url): hung.url}
        fast_ids, hung_ids = queue_alerts(engine, hooks, 40).values()
        settings = Settings(
            database_url=database_url,  # type: ignore[arg-type]
            webhook_allow_private=True,
            webhook_concurrency=SLOTS,
            webhook_timeout=TIMEOUT,
        )
        stop = start_deliverer(engine, settings)
        wait_for(lambda: len(fast.done) == len(fast_ids), 60, "the fast receiver's 40 alerts")
        # Every one of them arrived while the hung receiver's first requests were still open:
        # none of those has an outcome on record yet, and no others were sent to it.
        found = statuses(engine)
        assert sorted(fast.done) == sorted(fast_ids)
        assert all(found[a][1] == 0 for a in hung_ids) and hung.started == SLOTS

        def hung_recorded() -> bool:
            return sum(statuses(engine)[a][1] >= 1 for a in hung_ids) >= SLOTS

        wait_for(hung_recorded, TIMEOUT * 4, "the hung requests to time out")
        found = statuses(engine)
        assert all(found[a] == ("delivered", 1, None) for a in fast_ids)
        tried = [found[a] for a in hung_ids if found[a][1] >= 1]
        assert all(status == "pending" and error == "timeout" for status, _, error in tried)
        assert not hung.done
    finally:
        if stop is not None:
            stop()
        fast.close()
        hung.close()


def test_two_delivery_loops_never_send_the_same_alert(engine: Engine, database_url: str) -> None:
    hooks = [Hook(delay=0.0), Hook(delay=0.01)]
    stops: list[Callable[[], None]] = []
    try:
        targets = {subscribe(engine, h.url): h.url for h in hooks}
        queued = [a for ids in queue_alerts(engine, targets, 150).values() for a in ids]
        settings = Settings(
            database_url=database_url,  # type: ignore[arg-type]
            webhook_allow_private=True,
            webhook_concurrency=SLOTS,
        )
        stops = [start_deliverer(engine, settings) for _ in range(2)]

        def all_delivered() -> bool:
            return all(s[0] == "delivered" for s in statuses(engine).values())

        wait_for(all_delivered, 60, "every alert to be delivered")
        received = [key for h in hooks for key in h.done]
        assert sorted(received) == sorted(queued)  # each alert once, none twice
        assert {s for s in statuses(engine).values()} == {("delivered", 1, None)}
    finally:
        for stop in stops:
            stop()
        for h in hooks:
            h.close()
