"""Pipeline benchmark: the real Arabic corpus from news.articles to committed PostgreSQL rows.

Starts its own broker (Apache Kafka when Java is there, else Tansu; --broker to choose) and
PostgreSQL unless DYADWATCH_KAFKA_BOOTSTRAP / DYADWATCH_DATABASE_URL are set, publishes the
corpus once, then, for 1 and 2 workers (each run with its own consumer group and database),
measures sustained articles/s end to end. The raw consume rate of the same topic, read by a
plain kafka-python consumer in the same run, is the reference.

    python bench/pipeline.py [--corpus PATH] [--workers 1 2] [--limit N] [--broker kafka|tansu]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition
from sqlalchemy import create_engine, text
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.services import start_services  # noqa: E402
from streams.db import migrate  # noqa: E402
from streams.devstack.postgres import create_database  # noqa: E402
from streams.ingest.publish import Publisher  # noqa: E402
from streams.ingest.run import ingest  # noqa: E402
from streams.settings import Settings  # noqa: E402
from streams.topics import Topics, ensure_topics  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared/corpus/saudinewsnet-ar.jsonl.gz"


def raw_consume_rate(bootstrap: str, topic: str, expected: int) -> float:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
    consumer.assign(parts)
    consumer.seek_to_beginning(*parts)
    seen, start = 0, time.perf_counter()
    with tqdm(total=expected, desc="raw consume", unit=" msgs") as bar:
        while seen < expected:
            batch = consumer.poll(timeout_ms=1000, max_records=5000)
            n = sum(len(v) for v in batch.values())
            if not n and time.perf_counter() - start > 120:
                break
            seen += n
            bar.update(n)
    elapsed = time.perf_counter() - start
    consumer.close()
    return seen / elapsed


def run_workers(base: Settings, pg: str, n: int, total: int, logs: Path) -> dict[str, float]:
    run = f"b{uuid.uuid4().hex[:8]}"
    url = create_database(pg, f"bench_{run}")
    migrate(url)
    env = {
        **os.environ,
        "DYADWATCH_KAFKA_BOOTSTRAP": base.kafka_bootstrap or "",
        "DYADWATCH_DATABASE_URL": url,
        "DYADWATCH_BROKER": base.broker,
        "DYADWATCH_TOPIC_PREFIX": base.topic_prefix,
        "DYADWATCH_APP_ID": f"bench-{run}",
        "DYADWATCH_ARTICLES_PARTITIONS": str(base.articles_partitions),
    }
    engine = create_engine(url)
    procs = []
    started = time.perf_counter()
    for i in range(n):
        with (logs / f"{run}-worker{i}.log").open("ab") as out:
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "streams.cli", "worker"],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    cwd=ROOT,
                )
            )
    first_row_at = None
    done = 0
    with tqdm(total=total, desc=f"{n} worker(s)", unit=" articles") as bar:
        while done < total:
            time.sleep(0.5)
            with engine.connect() as conn:
                now = int(conn.execute(text("SELECT count(*) FROM articles")).scalar_one())
            if now and first_row_at is None:
                first_row_at = time.perf_counter()
                first_count = now
            bar.update(now - done)
            done = now
            if any(p.poll() is not None for p in procs):
                raise SystemExit(f"a worker died; see {logs}")
    finished = time.perf_counter()
    with engine.connect() as conn:
        events = int(conn.execute(text("SELECT count(*) FROM events")).scalar_one())
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(timeout=60)
    engine.dispose()
    assert first_row_at is not None
    return {
        "workers": n,
        "sustained_per_s": (total - first_count) / max(finished - first_row_at, 1e-9),
        "wall_per_s": total / (finished - started),
        "startup_s": first_row_at - started,
        "events": events,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--broker", choices=("kafka", "tansu"), default=None)
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = parser.parse_args()
    if not args.corpus.exists():
        raise SystemExit(f"corpus not found: {args.corpus}")
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dw-bench-")))
        tmp.chmod(0o755)
        bootstrap, flavor, pg = start_services(stack, tmp, args.broker)
        base = Settings(
            kafka_bootstrap=bootstrap,
            broker=flavor,
            topic_prefix=f"bench{uuid.uuid4().hex[:6]}.",
            articles_partitions=args.partitions,
        )
        topics = Topics.from_settings(base)
        ensure_topics(bootstrap, topics, base)
        publisher = Publisher(bootstrap, topics, single_record_batches=flavor == "tansu")
        t0 = time.perf_counter()
        source = args.corpus
        if args.limit:
            source = tmp / "head.jsonl"
            with gzip.open(args.corpus, "rt") as src, source.open("w") as out:
                out.writelines(itertools.islice(src, args.limit))
        counts = ingest([str(source)], publisher, max_bytes=base.max_article_bytes)
        publisher.close()
        publish_s = time.perf_counter() - t0
        total = counts["published"]
        raw = raw_consume_rate(bootstrap, topics.articles, total)
        results = [run_workers(base, pg, n, total, tmp) for n in args.workers]
    print()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"broker: {flavor}   articles: {total}   partitions: {args.partitions}")
    print(f"machine: {os.cpu_count()} cores, load average {load} at the end")
    print(f"publish (ingest CLI path):      {total / publish_s:8.0f} articles/s")
    print(f"raw consume (reference):        {raw:8.0f} articles/s")
    for r in results:
        print(
            f"end to end, {r['workers']} worker(s):        {r['sustained_per_s']:8.0f} articles/s "
            f"sustained ({r['wall_per_s']:.0f}/s with {r['startup_s']:.1f}s start-up), "
            f"{r['events']} events"
        )


if __name__ == "__main__":
    main()
