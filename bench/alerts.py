"""Alert latency benchmark: from an article entering `news.articles` to the signed webhook
arriving at a local receiver, and to the same alert arriving on the SSE stream.

Starts Apache Kafka (or Tansu without Java) and PostgreSQL unless DYADWATCH_KAFKA_BOOTSTRAP /
DYADWATCH_DATABASE_URL are set; per rate, a fresh database, topics and consumer group,
`--workers` worker processes (detect, state, alerts, webhook delivery) and one API process.
Each article is a new English sanctions report on a directed pair never seen before, so each
one makes exactly one state change and one alert. Latency is measured on this machine's clock
from the moment the article is given to the Kafka producer (no linger, acks from all
replicas) to the moment the receiver reads the request.

    python bench/alerts.py [--rates 10 50 200] [--seconds 10] [--workers 1] [--broker kafka|tansu]
                           [--logs DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import yaml
from kafka import KafkaProducer
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.services import start_services  # noqa: E402
from models.events import Article  # noqa: E402
from streams.db import engine_for, migrate  # noqa: E402
from streams.detect.detector import detect  # noqa: E402
from streams.devstack.postgres import create_database  # noqa: E402
from streams.settings import Settings  # noqa: E402
from streams.topics import Topics, ensure_topics  # noqa: E402
from streams.web.keys import create_key  # noqa: E402

DAY = "2024-05-06"


def countries() -> list[tuple[str, str]]:
    """(code, English name) of the states whose first name the detector reads back exactly."""
    data = yaml.safe_load((ROOT / "streams/detect/gazetteer/en.yaml").read_text())
    found = []
    for code, forms in sorted(data["countries"].items()):
        name = forms["names"][0]
        for other in ("Kenya", "Chile"):
            text = f"{name} imposed new sanctions on {other}."
            events = detect(Article(id="probe", text=text, published_at=dt.date.fromisoformat(DAY)))
            if [(e.actor, e.type, e.status) for e in events] != [
                (code, "sanction.imposed", "occurred")
            ]:
                break
        else:
            found.append((code, name))
    return found


class Receiver:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                at = time.perf_counter()
                alert = json.loads(body)
                outer.times.setdefault(alert["evidence"][0]["article_id"], at)
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


def read_sse(url: str, key: str, times: dict[str, float], ready: threading.Event) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    timeout = httpx.Timeout(5, read=None)
    # The API process is stopped under the open stream at the end of each run.
    with (
        contextlib.suppress(httpx.HTTPError),
        httpx.stream("GET", url, headers=headers, timeout=timeout) as r,
    ):
        ready.set()
        for line in r.iter_lines():
            if line.startswith("data: "):
                alert = json.loads(line[6:])
                times.setdefault(alert["evidence"][0]["article_id"], time.perf_counter())


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {q[49] * 1000:6.0f} ms  p95 {q[94] * 1000:6.0f} ms  p99 {q[98] * 1000:6.0f} ms"


def run_rate(
    base: Settings, pg: str, rate: int, seconds: float, pairs: Any, logs: Path, workers: int
) -> str:
    run = f"a{uuid.uuid4().hex[:8]}"
    url = create_database(pg, f"bench_{run}")
    migrate(url)
    settings = Settings(**{**base.model_dump(), "topic_prefix": f"{run}.", "app_id": run})
    assert settings.kafka_bootstrap
    ensure_topics(settings.kafka_bootstrap, Topics.from_settings(settings), settings)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    env = {
        **os.environ,
        "DYADWATCH_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
        "DYADWATCH_DATABASE_URL": url,
        "DYADWATCH_BROKER": settings.broker,
        "DYADWATCH_TOPIC_PREFIX": settings.topic_prefix,
        "DYADWATCH_APP_ID": run,
        "DYADWATCH_WEBHOOK_ALLOW_PRIVATE": "true",
        "DYADWATCH_API_PORT": str(port),
        "DYADWATCH_LOG_LEVEL": os.environ.get("DYADWATCH_LOG_LEVEL", "WARNING"),
    }
    procs = []
    starts = [(f"worker{i}", ["-m", "streams.cli", "worker"]) for i in range(workers)]
    for name, argv in [*starts, ("api", ["-m", "streams.cli", "api"])]:
        with (logs / f"{run}-{name}.log").open("ab") as out:
            procs.append(
                subprocess.Popen(
                    [sys.executable, *argv], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT
                )
            )
    receiver = Receiver()
    engine = engine_for(url)
    with engine.begin() as conn:
        key = create_key(conn, "bench")[1]
    api = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{api}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    auth = {"Authorization": f"Bearer {key}"}
    hook = {"channel": "webhook", "webhook_url": receiver.url, "secret": "bench-secret-0123456789"}
    httpx.post(f"{api}/v1/subscriptions", json=hook, headers=auth).raise_for_status()
    for i in range(50):  # subscriptions that match nothing here: matching has work to do
        decoy = {
            "channel": "sse",
            "filters": {"pairs": [f"Q{chr(65 + i % 26)}-X{chr(65 + i // 26)}"]},
        }
        httpx.post(f"{api}/v1/subscriptions", json=decoy, headers=auth).raise_for_status()
    sse_times: dict[str, float] = {}
    ready = threading.Event()
    threading.Thread(
        target=read_sse, args=(f"{api}/v1/alerts/stream", key, sse_times, ready), daemon=True
    ).start()
    ready.wait(15)
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all", linger_ms=0)
    topic = Topics.from_settings(settings).articles
    sent: dict[str, float] = {}
    wall: dict[str, float] = {}

    def send(article_id: str) -> None:
        (_, an), (_, bn) = next(pairs)
        text = f"{an} imposed new sanctions on {bn}."
        value = json.dumps({"id": article_id, "text": text, "published_at": DAY, "lang": "en"})
        sent[article_id] = time.perf_counter()
        wall[article_id] = time.time()
        producer.send(topic, key=article_id.encode(), value=value.encode())

    # Warm-up: partitions assigned, connections open; waits out the consumer group join.
    for w in range(3):
        send(f"{run}-warm-{w}")
        deadline = time.monotonic() + 120
        while f"{run}-warm-{w}" not in receiver.times and time.monotonic() < deadline:
            time.sleep(0.05)
    measured = [f"{run}-{n}" for n in range(int(rate * seconds))]
    start = time.perf_counter()
    for n, article_id in enumerate(measured):
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        send(article_id)
    producer.flush()
    achieved = len(measured) / (time.perf_counter() - start)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(
        a in receiver.times and a in sse_times for a in measured
    ):
        time.sleep(0.2)
    producer.close()
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(timeout=60)
    receiver.server.shutdown()
    stages = stage_times(engine, wall, set(measured))
    hook_lat = [receiver.times[a] - sent[a] for a in measured if a in receiver.times]
    sse_lat = [sse_times[a] - sent[a] for a in measured if a in sse_times]
    return (
        f"{rate:4d} articles/s (sent {achieved:5.1f}/s, {len(measured)} articles)\n"
        f"     webhook {len(hook_lat):5d} received  {percentiles(hook_lat)}\n"
        f"     SSE     {len(sse_lat):5d} received  {percentiles(sse_lat)}\n"
        + "".join(f"       {name:18s} {percentiles(v)}\n" for name, v in stages.items())
    )


STAGES = """
SELECT e.article_id, extract(epoch FROM ar.recorded_at), extract(epoch FROM c.recorded_at),
       extract(epoch FROM a.created_at), extract(epoch FROM d.delivered_at)
  FROM alerts a
  JOIN events e ON e.id = a.payload->'evidence'->0->>'event_id'
  JOIN articles ar ON ar.id = e.article_id
  JOIN dyad_changes c ON c.id = a.change_id
  LEFT JOIN deliveries d ON d.alert_id = a.id
"""


def stage_times(engine: Any, wall: dict[str, float], measured: set[str]) -> dict[str, list[float]]:
    """Where the time goes, from the database's clock (the same machine's)."""
    names = ("article stored", "change stored", "alert stored", "webhook accepted")
    out: dict[str, list[float]] = {n: [] for n in names}
    with engine.connect() as conn:
        for row in conn.execute(text(STAGES)):
            if row[0] in measured:
                for name, at in zip(names, row[1:], strict=True):
                    if at is not None:
                        out[name].append(float(at) - wall[row[0]])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--broker", choices=("kafka", "tansu"), default=None)
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--logs", type=Path, help="keep the worker and API logs here")
    args = parser.parse_args()
    names = countries()
    pairs = iter([(a, b) for a, b in itertools.permutations(names, 2)][::7])
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dw-bench-")))
        tmp.chmod(0o755)
        bootstrap, flavor, pg = start_services(stack, tmp, args.broker)
        logs = args.logs or tmp
        logs.mkdir(parents=True, exist_ok=True)
        base = Settings(
            kafka_bootstrap=bootstrap,
            broker=flavor,
            articles_partitions=6,
            events_partitions=6,
            alerts_partitions=6,
        )
        lines = [
            run_rate(base, pg, rate, args.seconds, pairs, logs, args.workers) for rate in args.rates
        ]
    print()
    setup = f"{args.workers} worker(s), one API process, {os.cpu_count()} CPUs"
    print(f"broker: {flavor}   states: {len(names)}   {setup}")
    print("latency from the article handed to Kafka to the alert received:")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
