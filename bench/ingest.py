"""Ingest benchmark: the Arabic corpus (JSONL) through `dyadwatch ingest`'s path into
news.articles, beside a bare kafka-python producer sending the same lines as the reference.

Starts its own broker (Apache Kafka when Java is there, else Tansu; --broker to choose) unless
DYADWATCH_KAFKA_BOOTSTRAP is set. Both runs end with a flush: every record acknowledged.
--profile prints where the ingest path spends its time.

    python bench/ingest.py [--corpus PATH] [--limit N] [--broker kafka|tansu] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import itertools
import os
import pstats
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

from kafka import KafkaProducer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streams.devstack.broker import start_tansu  # noqa: E402
from streams.ingest.publish import Publisher, producer_options  # noqa: E402
from streams.ingest.run import ingest  # noqa: E402
from streams.settings import Settings  # noqa: E402
from streams.topics import Topics, ensure_topics  # noqa: E402
from tests.kafka_broker import java_available, start_kafka  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "saudinewsnet-ar.jsonl.gz"


def raw_rate(bootstrap: str, topic: str, lines: list[bytes], single: bool) -> float:
    """A bare producer with the same settings, sending each line as it is: the ceiling the
    client itself allows, with no reading, validation or encoding of ours."""
    producer = KafkaProducer(bootstrap_servers=bootstrap, **producer_options(single))
    t0 = time.perf_counter()
    for n, line in enumerate(lines):
        producer.send(topic, key=str(n).encode(), value=line)
    producer.flush(timeout=120)
    elapsed = time.perf_counter() - t0
    producer.close()
    return len(lines) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--broker", choices=("kafka", "tansu"), default=None)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--profile", action="store_true", help="profile the ingest path")
    args = parser.parse_args()
    if not args.corpus.exists():
        raise SystemExit(f"corpus not found: {args.corpus}")
    flavor = args.broker or ("kafka" if java_available() else "tansu")
    single = flavor == "tansu"
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dw-bench-")))
        bootstrap = (
            os.environ.get("DYADWATCH_KAFKA_BOOTSTRAP")
            or (
                stack.enter_context((start_kafka if flavor == "kafka" else start_tansu)(tmp / "b"))
            ).bootstrap
        )
        settings = Settings(kafka_bootstrap=bootstrap, broker=flavor)
        source = tmp / "corpus.jsonl"
        with gzip.open(args.corpus, "rb") as src, source.open("wb") as out:
            out.writelines(itertools.islice(src, args.limit))
        lines = source.read_bytes().splitlines()
        results = {}
        for name in ("raw", "ingest"):
            topics = Topics.from_settings(
                settings.model_copy(update={"topic_prefix": f"bench{uuid.uuid4().hex[:6]}."})
            )
            ensure_topics(bootstrap, topics, settings)
            if name == "raw":
                results[name] = raw_rate(bootstrap, topics.articles, lines, single)
                continue
            publisher = Publisher(bootstrap, topics, single_record_batches=single)
            profile = cProfile.Profile() if args.profile else None
            t0 = time.perf_counter()
            if profile:
                profile.enable()
            counts = ingest([str(source)], publisher, max_bytes=settings.max_article_bytes)
            publisher.close()
            if profile:
                profile.disable()
            results[name] = counts["published"] / (time.perf_counter() - t0)
            if profile:
                pstats.Stats(profile).sort_stats("tottime").print_stats(15)
    print(f"broker: {flavor}   articles: {len(lines)}   machine: {os.cpu_count()} cores")
    print(f"raw kafka-python producer:     {results['raw']:8.0f} articles/s")
    print(f"ingest path (dyadwatch ingest): {results['ingest']:8.0f} articles/s")


if __name__ == "__main__":
    main()
