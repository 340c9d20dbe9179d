"""Detector throughput, memory and yield over a real news corpus.

    .venv/bin/python bench/extract.py [--corpus PATH] [--sample N] [--seed S]

Prints: time to merely read and decode the corpus; articles/s and chars/s of detection
on one core (decoding excluded); the same with the story signature that the detect stage
computes beside detection (`streams/detect/shingles.py`); peak memory; events per 1,000
articles by type; and a seeded random sample of detections with their evidence, for review by eye.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.events import Article, Event
from streams.detect.detector import detect
from streams.detect.shingles import signature

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/corpus/saudinewsnet-ar.jsonl.gz"


def read_lines(path: Path) -> Iterator[bytes]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        yield from handle


def read_only(path: Path) -> tuple[float, int]:
    """Seconds to read, decompress and JSON-decode the corpus, and its article count."""
    started = time.perf_counter()
    count = 0
    for line in read_lines(path):
        json.loads(line)
        count += 1
    return time.perf_counter() - started, count


def run(path: Path, sample: int, seed: int, trace: bool) -> None:
    read_seconds, total = read_only(path)
    articles = [Article.model_validate(json.loads(line)) for line in read_lines(path)]
    chars = sum(len(article.text) for article in articles)
    detect(articles[0])  # load and compile the data once, outside the timing

    if trace:
        tracemalloc.start()
    events: list[Event] = []
    started = time.perf_counter()
    for article in tqdm(articles, desc="detect", unit="art", file=sys.stderr, mininterval=0.5):
        events += detect(article)
    seconds = time.perf_counter() - started
    peak_traced = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    signature(articles[0].text)
    started = time.perf_counter()
    for article in tqdm(articles, desc="signature", unit="art", file=sys.stderr, mininterval=0.5):
        signature(article.text)
    signing = time.perf_counter() - started
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"corpus            {path.name}: {total} articles, {chars / max(total, 1):.0f} chars avg")
    print(f"read+decode only  {read_seconds:.2f} s")
    print(f"detect            {seconds:.2f} s on one core")
    rate, char_rate = total / seconds, chars / seconds / 1e6
    print(f"throughput        {rate:,.0f} articles/s, {char_rate:.2f} M chars/s")
    print(
        f"with signature    {total / (seconds + signing):,.0f} articles/s (signature alone "
        f"{total / signing:,.0f} articles/s)"
    )
    print(f"peak memory       {peak_rss:.0f} MiB RSS (process, corpus held in memory)")
    if trace:
        print(f"peak traced       {peak_traced / 2**20:.1f} MiB during detection")
    per_thousand = 1000 * len(events) / max(total, 1)
    print(f"events            {len(events)} = {per_thousand:.1f} per 1,000 articles")
    for event_type, count in sorted(Counter(e.type for e in events).items()):
        print(f"  {event_type:22} {count:5}  ({1000 * count / max(total, 1):.1f}/1000)")
    print(f"\n{min(sample, len(events))} random detections (seed {seed}):")
    for event in random.Random(seed).sample(events, min(sample, len(events))):
        print(
            f"- {event.article_id} {event.type} {event.actor}->{event.target} [{event.status}]"
            f" date={event.date} conf={event.confidence}\n    {event.evidence.text[:300]}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sample", type=int, default=30, help="detections to print")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--trace", action="store_true", help="also trace Python allocations (slows detection)"
    )
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    run(args.corpus, args.sample, args.seed, args.trace)
    return 0


if __name__ == "__main__":
    sys.exit(main())
