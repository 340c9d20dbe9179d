"""The parts of the fault-injection suite: a pipeline run on its own topics and database,
the faults (kill -9, a database outage, a broker restart, poison messages), and the
comparison of a disturbed run's tables with an undisturbed run over the same input.

`bench/faults.py` runs the full scenarios; `tests/integration/test_faults.py` short ones.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kafka import KafkaProducer
from sqlalchemy import Engine, create_engine, text
from tqdm import tqdm

from models.alerts import SubscriptionIn
from streams.article_messages import REASONS
from streams.db import migrate
from streams.devstack.broker import start_tansu
from streams.devstack.postgres import create_database, start_postgres
from streams.devstack.process import ServiceHandle
from streams.replay import read_letters
from streams.sealing import Sealer
from streams.sealing import new_key as new_secret_key
from streams.settings import Settings
from streams.topics import Topics, ensure_topics
from streams.web.keys import create_key
from streams.web.repository import create as create_subscription
from tests.kafka_broker import start_kafka

ROOT = Path(__file__).resolve().parents[1]

# What each table must hold identically after any fault: its key and what it says.
TABLES = {
    "articles": "SELECT id, event_count, lang FROM articles",
    "events": "SELECT id, type, actor, target, status, event_date, date_precision FROM events",
    "periods": "SELECT id, state, valid::text, array_length(event_ids, 1) FROM dyad_periods",
    "signals": "SELECT id, type, closure, closed_on FROM dyad_signal_records",
    "changes": "SELECT id, kind, dyad, valid_from FROM dyad_changes",
    # Subscriptions differ per run, so alerts are compared by the change they announce.
    "alerts": "SELECT change_id, dyad FROM alerts",
}


@dataclass
class Snapshot:
    rows: dict[str, list[tuple[Any, ...]]]

    def diff(self, other: Snapshot) -> dict[str, dict[str, int]]:
        """Per table: rows missing here, rows extra here, duplicate keys here."""
        out: dict[str, dict[str, int]] = {}
        for table, mine in self.rows.items():
            theirs = Counter(other.rows[table])
            here = Counter(mine)
            out[table] = {
                "rows": len(mine),
                "missing": sum((theirs - here).values()),
                "extra": sum((here - theirs).values()),
                "duplicated": sum(n - 1 for n in Counter(r[0] for r in mine).values() if n > 1),
            }
        return out


def snapshot(engine: Engine) -> Snapshot:
    with engine.connect() as conn:
        return Snapshot(
            {name: [tuple(r) for r in conn.execute(text(sql))] for name, sql in TABLES.items()}
        )


@dataclass
class Run:
    """One pipeline on its own topics, consumer group and database."""

    bootstrap: str
    broker: str
    pg: str
    logs: Path
    partitions: int = 6
    name: str = field(default_factory=lambda: f"f{uuid.uuid4().hex[:8]}")
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    started: int = 0
    url: str = ""
    stopped: set[int] = field(default_factory=set)  # workers this run ended itself

    def __post_init__(self) -> None:
        self.url = create_database(self.pg, f"faults_{self.name}")
        migrate(self.url)
        self.settings = Settings(
            kafka_bootstrap=self.bootstrap,
            broker=self.broker,
            topic_prefix=f"{self.name}.",
            app_id=f"dyadwatch-{self.name}",
            articles_partitions=self.partitions,
        )
        self.topics = Topics.from_settings(self.settings)
        ensure_topics(self.bootstrap, self.topics, self.settings)
        self.engine = create_engine(self.url, pool_pre_ping=True)
        with self.engine.begin() as conn:
            key, _ = create_key(conn, f"faults {self.name}")
            # An SSE subscription has no secret to seal: a throwaway key will do.
            sealer = Sealer([new_secret_key().encode()])
            everything = SubscriptionIn(name="everything", channel="sse")
            create_subscription(conn, key.id, everything, sealer)

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DYADWATCH_KAFKA_BOOTSTRAP": self.bootstrap,
            "DYADWATCH_DATABASE_URL": self.url,
            "DYADWATCH_BROKER": self.broker,
            "DYADWATCH_TOPIC_PREFIX": self.settings.topic_prefix,
            "DYADWATCH_APP_ID": self.settings.app_id,
            "DYADWATCH_ARTICLES_PARTITIONS": str(self.partitions),
        }

    def publish(self, records: Iterable[bytes]) -> int:
        """Write raw messages straight to news.articles, as an upstream producer could."""
        producer = KafkaProducer(
            bootstrap_servers=self.bootstrap,
            acks="all",
            linger_ms=0 if self.broker == "tansu" else 5,
            batch_size=1 if self.broker == "tansu" else 64 * 1024,
            max_request_size=4 * 1024 * 1024,
        )
        n = 0
        items = list(records)
        for n, value in enumerate(tqdm(items, desc="publish", unit=" msgs", leave=False), 1):
            producer.send(self.topics.articles, key=str(n).encode(), value=value)
            if n % 5000 == 0:
                producer.flush(timeout=900)  # the embedded broker takes one record per request
        producer.flush(timeout=900)
        producer.close()
        return n

    def start_worker(self) -> subprocess.Popen[bytes]:
        self.started += 1
        log = self.logs / f"{self.name}-worker.log"
        with log.open("ab") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "streams.cli", "worker", "--loglevel", "info"],
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                start_new_session=True,
            )
        self.workers.append(proc)
        return proc

    def kill_worker(self) -> None:
        """kill -9 of the running worker, as an OOM killer or a lost machine would."""
        for proc in self.workers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)

    def crashes(self) -> int:
        """Worker exits we did not cause, and agent crashes written to the log."""
        log = self.logs / f"{self.name}-worker.log"
        body = log.read_text(errors="replace") if log.exists() else ""
        exited = sum(
            1
            for p in self.workers
            if p.pid not in self.stopped and p.poll() not in (None, -signal.SIGKILL)
        )
        return exited + body.count("Agent crashed") + body.count("Traceback")

    def count(self, sql: str) -> int:
        try:
            with self.engine.connect() as conn:
                return int(conn.execute(text(sql)).scalar_one() or 0)
        except Exception:
            return -1  # the database is down: nothing to count now

    def settled(self, articles: int) -> bool:
        """Every article stored, every change and alert published, no event unapplied."""
        return (
            self.count("SELECT count(*) FROM articles") == articles
            and self.count(
                "SELECT count(*) FROM events e LEFT JOIN state_applied_events a "
                "ON a.event_id = e.id WHERE a.event_id IS NULL"
            )
            == 0
            and self.count("SELECT count(*) FROM dyad_changes WHERE published_at IS NULL") == 0
            and self.count("SELECT count(*) FROM alerts WHERE published_at IS NULL") == 0
        )

    def wait_settled(
        self, articles: int, timeout: float, during: Callable[[int], None] | None = None
    ) -> float:
        """Seconds until the run settles and stays so for two seconds; `during` sees the
        article count on every poll (the faults hook in there)."""
        start = time.monotonic()
        calm_since: float | None = None
        while time.monotonic() - start < timeout:
            if self.workers and self.workers[-1].poll() is not None:
                log = self.logs / f"{self.name}-worker.log"
                tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
                raise RuntimeError(f"{self.name}: the worker exited by itself\n{tail}")
            if during is not None:
                during(self.count("SELECT count(*) FROM articles"))
            if self.settled(articles):
                calm_since = calm_since or time.monotonic()
                if time.monotonic() - calm_since >= 2.0:
                    return calm_since - start
            else:
                calm_since = None
            time.sleep(0.25)
        raise TimeoutError(
            f"{self.name}: not settled after {timeout:.0f}s "
            f"({self.count('SELECT count(*) FROM articles')}/{articles} articles)"
        )

    def dead_letters(self) -> Counter[str]:
        letters = read_letters(self.bootstrap, self.topics.deadletter)
        return Counter(item.letter.reason for item in letters if item.letter)

    def close(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                self.stopped.add(proc.pid)
                proc.terminate()
        for proc in self.workers:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.engine.dispose()


@dataclass
class Services:
    """The broker and PostgreSQL this suite owns, so that it can stop and start them."""

    tmp: Path
    flavor: str
    broker: ServiceHandle | None = None
    pg: ServiceHandle | None = None

    def start(self, stack: ExitStack) -> None:
        self.start_broker()
        self.start_pg()
        stack.callback(self.stop)

    def stop(self) -> None:
        for service in (self.broker, self.pg):
            if service is not None:
                service.stop()

    def start_broker(self, port: int = 0, controller_port: int = 0) -> None:
        data = self.tmp / f"broker-{self.flavor}"
        if self.flavor == "kafka":
            self.broker = start_kafka(data, port=port, controller_port=controller_port)
        else:
            self.broker = start_tansu(data, port=port)

    def restart_broker(self) -> None:
        assert self.broker is not None
        port, controller = self.broker.port, self.broker.extra.get("controller_port", 0)
        self.broker.stop()
        self.start_broker(port, controller)

    def start_pg(self, port: int = 0) -> None:
        self.pg = start_postgres(self.tmp / "pg", port=port, grant_traverse=True)

    def outage(self, seconds: float) -> None:
        assert self.pg is not None
        port = self.pg.port
        self.pg.stop()
        time.sleep(seconds)
        self.start_pg(port)


def articles_of(corpus: Path, limit: int | None) -> list[bytes]:
    """The corpus's records as the messages an upstream producer would send."""
    import gzip

    out: list[bytes] = []
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if not str(record.get("text") or "").strip():
                continue
            out.append(json.dumps(record, ensure_ascii=False).encode("utf-8"))
            if limit and len(out) >= limit:
                break
    return out


def poison(n: int, seed: int, max_bytes: int) -> list[tuple[bytes, str]]:
    """`n` malformed messages of every kind an upstream producer could write, each with
    the reason it must be dead-lettered under."""
    rng = random.Random(seed)
    flood = "sanctions embassy ambassador oil exports imposed severed عقوبات سفير النفط "

    def not_utf8() -> bytes:
        # 0xFF never occurs in UTF-8; random high bytes alone may form valid characters.
        noise = b"\xff" + bytes(rng.randrange(128, 256) for _ in range(rng.randint(0, 40)))
        return rng.choice([noise, b'\xc3\x28{"text": "x"}', b'{"text": "\xff"}'])

    def not_json() -> bytes:
        cut = b'{"text": "' + b"x" * rng.randint(0, 30)
        return rng.choice([cut, b"", b"{", b"}", b"nul", b"{'text': 'x'}", b"{NaN}"])

    def not_object() -> bytes:
        return rng.choice([b"[]", b"null", b"42", b'"text"', b"true", b'[{"text": "x"}]'])

    def no_text() -> bytes:
        record = rng.choice([{"id": f"e{rng.random()}"}, {"text": " \n\t" * rng.randint(0, 5)}])
        return json.dumps(record).encode()

    def invalid_field() -> bytes:
        record = rng.choice(
            [
                {"text": rng.choice([1, 2.5, True, [], {}])},
                {"id": "i" * 100_000, "text": "ok"},
                {"text": "ok", "published_at": "2021-13-45"},
                {"text": "ok", "lang": "x" * 40},
                {"text": "ok", "title": {"nested": 1}},
            ]
        )
        return json.dumps(record).encode()

    def too_deep() -> bytes:
        depth = rng.choice([40, 5_000, 50_000])
        return b'{"text": "a", "x": ' + b"[" * depth + b"]" * depth + b"}"

    def bad_characters() -> bytes:
        return rng.choice(
            [b'{"text": "Iran \\ud800 sanctions"}', b'{"text": "oil\\u0000exports", "id": "nul"}']
        )

    def too_large() -> bytes:
        filler = rng.choice([b"y", flood.encode()])
        return b'{"text": "' + filler * (max_bytes // len(filler) + 1) + b'"}'

    makers: dict[str, Callable[[], bytes]] = {
        "not_utf8": not_utf8,
        "not_json": not_json,
        "not_object": not_object,
        "no_text": no_text,
        "invalid_field": invalid_field,
        "too_deep": too_deep,
        "bad_characters": bad_characters,
        "too_large": too_large,
    }
    assert set(makers) == set(REASONS)
    reasons = sorted(makers)
    out = []
    for _ in range(n):
        reason = rng.choice(reasons)
        out.append((makers[reason](), reason))
    return out


def hostile_articles(max_bytes: int) -> list[bytes]:
    """Valid articles that are hard on the detector: text made of trigger words, an unknown
    language tag. They must be stored, not dead-lettered, and not hold the stage.

    They carry a publication date: an undated article's events take the day it was
    stored, so a disturbed run that ends after midnight would otherwise differ from the
    undisturbed one in its periods and changes for no fault of its own."""
    dated = {"published_at": "2015-06-01"}
    words = "فرضت الولايات المتحدة عقوبات على إيران وقطعت العلاقات مع سوريا، "
    flood = (words * (max_bytes // len(words.encode()) // 2))[: max_bytes // 2]
    return [
        json.dumps({"id": "flood-ar", "text": flood, **dated}, ensure_ascii=False).encode(),
        json.dumps(
            {"id": "flood-en", "text": "sanctions on Iran by the United States " * 6000, **dated}
        ).encode(),
        json.dumps(
            {"id": "unknown-lang", "text": "Kanada Iran sanksiyon", "lang": "zz", **dated}
        ).encode(),
    ]
