"""Faust wiring only: the app object and its settings. Agents register themselves on it."""

from __future__ import annotations

import faust

from streams.settings import Settings


def create_app(
    settings: Settings, bootstrap: str, *, single_record_batches: bool = False, web_port: int = 0
) -> faust.App:
    return faust.App(
        settings.app_id,
        broker=f"kafka://{bootstrap}",
        store="memory://",
        # PostgreSQL is the source of truth; no Faust table holds the only copy of anything.
        topic_partitions=settings.articles_partitions,
        topic_replication_factor=1,
        consumer_auto_offset_reset="earliest",
        # Short session: partitions are handed out in seconds, not half a minute.
        broker_session_timeout=6.0,
        broker_heartbeat_interval=1.0,
        broker_commit_every=500,
        broker_commit_interval=1.0,
        # Some embedded brokers misreport the end offset of multi-record batches.
        producer_max_batch_size=1 if single_record_batches else 64 * 1024,
        producer_linger=0.0 if single_record_batches else 0.005,
        producer_acks=-1,
        web_enabled=web_port > 0,
        web_port=web_port or 6066,
        web_bind="127.0.0.1",
        web_host="127.0.0.1",
    )
