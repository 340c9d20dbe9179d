"""Webhook fan-out benchmark: many subscriptions on many local receivers, a burst of changes,
and optionally every receiver down for a while first; every alert must be accepted exactly
once per subscription, and the time from the alert being stored to its acceptance is printed
(p50, p99, max).

Starts its own PostgreSQL, makes `--subscriptions` webhook subscriptions spread over
`--receivers` HTTP servers on 127.0.0.1, each subscription following one of `--pairs` pairs,
stores the alerts for a burst of `--changes` changes with the alert stage's own matching
(`store_matches`), and runs the delivery loop the worker runs. With `--outage S` every
receiver answers 503 for the first S seconds, with short backoff settings (0.1 s doubling
to 2 s), so that the retry schedule of a long outage plays out in seconds.

    python bench/fanout.py [--subscriptions 1000] [--receivers 50] [--changes 100]
                           [--pairs 20] [--outage 0] [--timeout 300]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlalchemy import Engine, create_engine
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.alerts import Filters, SubscriptionIn  # noqa: E402
from models.state import DyadChange  # noqa: E402
from streams.alerts.agent import store_matches  # noqa: E402
from streams.alerts.delivery import Deliverer  # noqa: E402
from streams.db import migrate  # noqa: E402
from streams.devstack.postgres import create_database, start_postgres  # noqa: E402
from streams.sealing import Sealer  # noqa: E402
from streams.settings import Settings  # noqa: E402
from streams.web.keys import create_key  # noqa: E402
from streams.web.repository import create as create_subscription  # noqa: E402

# Pairs the subscriptions follow and the changes touch (ISO codes, in dyad order).
CODES = ["AE", "BR", "CN", "DE", "EG", "FR", "IN", "IR", "JP", "KR", "MX", "NG", "PK", "RU"]


class Receivers:
    """HTTP servers that accept POSTs (after the outage) and note each Idempotency-Key."""

    def __init__(self, count: int, outage: float) -> None:
        self.accepted: Counter[str] = Counter()
        self.accepted_at: dict[str, float] = {}
        self.refused = 0
        self.down_until = time.monotonic() + outage
        self._lock = threading.Lock()
        self.servers = [self._server() for _ in range(count)]
        for server in self.servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def _server(self) -> ThreadingHTTPServer:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                key = self.headers.get("Idempotency-Key", "")
                down = time.monotonic() < outer.down_until
                with outer._lock:
                    if down:
                        outer.refused += 1
                    else:
                        outer.accepted[key] += 1
                        outer.accepted_at.setdefault(key, time.monotonic())
                self.send_response(503 if down else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        return server

    def url(self, index: int) -> str:
        server = self.servers[index % len(self.servers)]
        return f"http://127.0.0.1:{server.server_address[1]}/hook/{index}"

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def pairs(count: int) -> list[str]:
    found = [f"{a}-{b}" for i, a in enumerate(CODES) for b in CODES[i + 1 :]]
    return found[:count]


def burst(pair_list: list[str], count: int) -> list[DyadChange]:
    changes = []
    for i in range(count):
        dyad = pair_list[i % len(pair_list)]
        actor, target = dyad.split("-")
        changes.append(
            DyadChange(
                id=f"fanout{i:026d}",
                kind="state",
                dyad=dyad,
                dimension="sanctions",
                actor=actor,
                target=target,
                state="active",
                previous_state="none",
                valid_from=dt.date(2026, 1, 1) + dt.timedelta(days=i),
                precision="day",
                basis="stated",
                confidence=0.9,
                articles=1,
                event_id=f"event{i}",
                evidence="",
            )
        )
    return changes


@contextmanager
def database(tmp: Path) -> Iterator[str]:
    with start_postgres(tmp / "pg", grant_traverse=True) as pg:
        url = create_database(pg.url, "fanout")
        migrate(url)
        yield url


@dataclass
class Outcome:
    stored: int
    accepted: int
    duplicates: int
    refused: int
    latencies: list[float]  # seconds from the alerts being stored to each acceptance, sorted

    @property
    def lost(self) -> int:
        return self.stored - self.accepted


def run(
    url: str,
    home: Path,
    *,
    subscriptions: int,
    receivers: int,
    changes: int,
    pairs_followed: int,
    outage: float,
    timeout: float,
) -> Outcome:
    settings = Settings(
        home=home,
        database_url=url,  # type: ignore[arg-type]
        allow_private_urls=True,
        webhook_backoff_base=0.1,
        webhook_backoff_cap=2.0,
        webhook_max_attempts=100,
    )
    engine = create_engine(url, pool_size=8)
    servers = Receivers(receivers, 0.0)
    followed = pairs(pairs_followed)
    sealer = Sealer.from_settings(settings)
    with engine.begin() as conn:
        key, _ = create_key(conn, "fanout")
        for i in tqdm(range(subscriptions), desc="subscriptions", unit="sub"):
            wants = Filters(pairs=[followed[i % len(followed)]])
            hook = servers.url(i)
            new = SubscriptionIn(filters=wants, channel="webhook", webhook_url=hook)  # type: ignore[arg-type]
            create_subscription(conn, key.id, new, sealer)
    servers.down_until = time.monotonic() + outage
    stored_at = time.monotonic()
    stored = store_matches(engine, burst(followed, changes), base_url="http://127.0.0.1")
    stop = threading.Event()
    delivering = threading.Thread(target=_deliver, args=(engine, settings, stop), daemon=True)
    delivering.start()
    deadline = stored_at + outage + timeout
    with tqdm(total=stored, desc="accepted", unit="alert") as bar:
        while len(servers.accepted) < stored and time.monotonic() < deadline:
            time.sleep(0.2)
            bar.update(len(servers.accepted) - bar.n)
        bar.update(len(servers.accepted) - bar.n)
    time.sleep(2.0)  # anything more would be a duplicate
    stop.set()
    delivering.join(timeout=10)
    servers.close()
    engine.dispose()
    return Outcome(
        stored=stored,
        accepted=len(servers.accepted),
        duplicates=sum(n - 1 for n in servers.accepted.values()),
        refused=servers.refused,
        latencies=sorted(at - stored_at for at in servers.accepted_at.values()),
    )


def _deliver(engine: Engine, settings: Settings, stop: threading.Event) -> None:
    """The worker's delivery loop, on its own event loop, until `stop` is set."""

    async def until_stopped() -> None:
        task = asyncio.ensure_future(Deliverer(engine, settings).run())
        while not stop.is_set():
            await asyncio.sleep(0.1)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    asyncio.run(until_stopped())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument("--receivers", type=int, default=50)
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument("--outage", type=float, default=0.0, help="seconds receivers answer 503")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dw-fanout-") as tmp_name:
        tmp = Path(tmp_name)
        tmp.chmod(0o755)
        with database(tmp) as url:
            found = run(
                url,
                tmp / "home",
                subscriptions=args.subscriptions,
                receivers=args.receivers,
                changes=args.changes,
                pairs_followed=args.pairs,
                outage=args.outage,
                timeout=args.timeout,
            )
    print()
    print(
        f"subscriptions {args.subscriptions} on {args.receivers} receivers, "
        f"{args.changes} changes over {args.pairs} pairs, outage {args.outage:g} s"
    )
    print(
        f"alerts stored: {found.stored}  accepted: {found.accepted}  lost: {found.lost}  "
        f"accepted twice or more: {found.duplicates}  refused during the outage: {found.refused}"
    )
    if found.latencies:
        p50 = statistics.median(found.latencies)
        p99 = found.latencies[min(len(found.latencies) - 1, int(len(found.latencies) * 0.99))]
        slowest = found.latencies[-1]
        print(
            f"stored -> accepted: p50 {p50:.2f} s  p99 {p99:.2f} s  max {slowest:.2f} s  "
            f"({found.stored / slowest:.0f} alerts/s overall)"
        )
    return 0 if found.lost == 0 and found.duplicates == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
