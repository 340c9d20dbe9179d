"""`dyadwatch bridge`: a consumer group that validates raw news JSON from an upstream topic and
republishes it to news.articles. Offsets are committed only after the output is flushed, so a
crash re-delivers rather than loses."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

from kafka import KafkaConsumer
from tqdm import tqdm

from streams.article_messages import parse_message
from streams.deadletter import STAGE_ERROR
from streams.errors import RejectedMessage
from streams.ingest.publish import Publisher
from streams.logs import get_logger

log = get_logger(__name__)


def run_bridge(
    bootstrap: str,
    raw_topic: str,
    publisher: Publisher,
    *,
    group_id: str,
    max_bytes: int,
    stop: threading.Event | None = None,
    idle_exit: float | None = None,
    progress: bool = True,
) -> Counter[str]:
    consumer = KafkaConsumer(
        raw_topic,
        bootstrap_servers=bootstrap,
        group_id=group_id,
        client_id="dyadwatch-bridge",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        # Short session and heartbeat: group joins take seconds instead of tens of seconds
        # on brokers that wait out the session timeout before the first assignment.
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
        max_partition_fetch_bytes=max(max_bytes * 2, 1024 * 1024),
    )
    bar = tqdm(unit=" msgs", desc=f"bridge {raw_topic}", disable=not progress)
    last_seen = time.monotonic()
    try:
        while stop is None or not stop.is_set():
            batches = consumer.poll(timeout_ms=500, max_records=500)
            if not batches:
                if idle_exit is not None and time.monotonic() - last_seen > idle_exit:
                    break
                continue
            last_seen = time.monotonic()
            for records in batches.values():
                for rec in records:
                    _bridge_one(rec, publisher, max_bytes)
                    bar.update(1)
            publisher.flush()
            consumer.commit()
    finally:
        bar.close()
        publisher.flush()
        consumer.close()
    return publisher.counts


def _bridge_one(rec: Any, publisher: Publisher, max_bytes: int) -> None:
    """One upstream record → news.articles, or a dead letter: no record stops the bridge."""
    origin = {"topic": rec.topic, "partition": rec.partition, "offset": rec.offset}
    payload = rec.value or b""
    try:
        publisher.article(parse_message(payload, max_bytes))
    except RejectedMessage as error:
        log.warning("rejected", reason=error.reason, detail=error.detail, **origin)
        publisher.reject(error, origin, payload, stage="bridge", key=rec.key)
    except Exception as exc:  # a bug of ours on one record: it waits in the dead letters
        log.exception("bridge error", **origin)
        failure = RejectedMessage(STAGE_ERROR, f"{type(exc).__name__}: {exc}")
        publisher.reject(failure, origin, payload, stage="bridge", key=rec.key, cause=exc)
