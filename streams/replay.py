"""`dyadwatch deadletter list|replay`: read the dead-letter topic back, and send chosen letters'
payloads to where they came from once the cause is fixed.

Kafka keeps the letters (the topic is append-only), so a replayed letter stays listed; one that
fails again comes back as a new letter with a later offset, which `--from-offset` selects."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from tqdm import tqdm

from streams.deadletter import DeadLetter, decode_letter
from streams.errors import ConfigError, InvalidInput
from streams.topics import Topics


@dataclass(frozen=True)
class Listed:
    partition: int
    offset: int
    letter: DeadLetter | None  # None: the record on the topic is not a dead letter
    problem: str = ""


@dataclass(frozen=True)
class Selection:
    stage: str | None = None
    reason: str | None = None
    offsets: frozenset[int] = frozenset()
    from_offset: int = 0

    def takes(self, item: Listed) -> bool:
        letter = item.letter
        return (
            letter is not None
            and item.offset >= self.from_offset
            and (not self.offsets or item.offset in self.offsets)
            and (self.stage is None or letter.stage == self.stage)
            and (self.reason is None or letter.reason == self.reason)
        )


def read_letters(bootstrap: str, topic: str, *, progress: bool = False) -> list[Listed]:
    """Every record on the dead-letter topic, from the first to the end offset at the call."""
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        client_id="dyadwatch-deadletter",
        enable_auto_commit=False,
        consumer_timeout_ms=5000,
    )
    try:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise ConfigError(f"no topic {topic!r} on {bootstrap}")
        assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(assigned)
        consumer.seek_to_beginning(*assigned)
        ends = consumer.end_offsets(assigned)
        starts = {tp: consumer.position(tp) for tp in assigned}
        total = sum(ends[tp] - starts[tp] for tp in assigned)
        out: list[Listed] = []
        with tqdm(total=total, unit=" letters", desc="read", disable=not progress) as bar:
            while any(consumer.position(tp) < ends[tp] for tp in assigned):
                batches = consumer.poll(timeout_ms=1000, max_records=1000)
                for records in batches.values():
                    for rec in records:
                        if rec.offset >= ends[TopicPartition(rec.topic, rec.partition)]:
                            continue
                        out.append(_listed(rec.partition, rec.offset, rec.value or b""))
                        bar.update(1)
        return sorted(out, key=lambda item: (item.partition, item.offset))
    finally:
        consumer.close()


def _listed(partition: int, offset: int, raw: bytes) -> Listed:
    try:
        return Listed(partition, offset, decode_letter(raw))
    except InvalidInput as exc:
        return Listed(partition, offset, None, str(exc))


def print_letters(items: Iterable[Listed], selection: Selection, fmt: str, out: IO[str]) -> int:
    chosen = [item for item in items if selection.takes(item)]
    if fmt == "json":
        for item in chosen:
            assert item.letter is not None
            body: dict[str, Any] = {
                "partition": item.partition,
                "offset": item.offset,
                **item.letter.model_dump(mode="json", exclude={"payload", "payload_base64"}),
                "payload_bytes": len(item.letter.payload_bytes()),
            }
            out.write(json.dumps(body, ensure_ascii=False) + "\n")
        return len(chosen)
    counts = Counter((item.letter.stage, item.letter.reason) for item in chosen if item.letter)
    for item in chosen:
        letter = item.letter
        assert letter is not None
        where = letter.origin.get("topic") or letter.origin.get("source") or "-"
        at = letter.origin.get("offset")
        place = f"{where}@{at}" if at is not None else str(where)
        detail = letter.detail.replace("\n", " ")
        out.write(
            f"{item.partition}:{item.offset}\t{letter.stage}\t{letter.reason}\t"
            f"{letter.error or '-'}\t{place}\t{detail[:120]}\n"
        )
    print(f"{len(chosen)} dead letters", file=sys.stderr)
    for (stage, reason), n in sorted(counts.items()):
        print(f"  {stage:7} {reason:16} {n}", file=sys.stderr)
    return len(chosen)


def replay(
    bootstrap: str,
    topics: Topics,
    items: Iterable[Listed],
    selection: Selection,
    *,
    progress: bool = True,
) -> Counter[str]:
    """Send the chosen letters' payloads back to their origin topic, with their keys. A
    letter from file ingestion has no topic of origin: it goes to news.articles, where the
    detect stage reads it as the ingest command would have sent it."""
    chosen = [item for item in items if selection.takes(item)]
    producer = KafkaProducer(
        bootstrap_servers=bootstrap,
        client_id="dyadwatch-replay",
        acks="all",
        max_request_size=8 * 1024 * 1024,
    )
    sent: Counter[str] = Counter()
    try:
        for item in tqdm(chosen, unit=" letters", desc="replay", disable=not progress):
            letter = item.letter
            assert letter is not None
            topic = letter.origin.get("topic") or topics.articles
            payload = letter.payload_bytes()
            if letter.payload_truncated:
                found = original(bootstrap, letter.origin)
                if found is None or hashlib.sha256(found).hexdigest() != letter.payload_sha256:
                    sent["unavailable (the original is no longer at its origin)"] += 1
                    continue
                payload = found
            producer.send(topic, key=letter.key_bytes(), value=payload)
            sent[topic] += 1
        producer.flush(timeout=60)
    finally:
        producer.close(timeout=10)
    return sent


def original(bootstrap: str, origin: dict[str, Any]) -> bytes | None:
    """The record at a letter's origin offset, when the topic still holds it."""
    topic, partition, offset = origin.get("topic"), origin.get("partition"), origin.get("offset")
    if not isinstance(topic, str) or not isinstance(partition, int) or not isinstance(offset, int):
        return None
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        max_partition_fetch_bytes=16 * 1024 * 1024,
        fetch_max_bytes=64 * 1024 * 1024,
    )
    try:
        where = TopicPartition(topic, partition)
        consumer.assign([where])
        consumer.seek(where, offset)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=1000, max_records=1).values():
                for rec in records:
                    return rec.value if rec.offset == offset else None
        return None
    finally:
        consumer.close()
