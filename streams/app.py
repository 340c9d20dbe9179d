"""Faust wiring only: the app object and its settings. Agents register themselves on it."""

from __future__ import annotations

from typing import Any, TypeVar

import faust
from pydantic import BaseModel, ValidationError

from streams.logs import get_logger
from streams.settings import Settings

log = get_logger(__name__)
M = TypeVar("M", bound=BaseModel)


def _cap_fetch_wait(ms: int) -> None:
    """Faust asks the broker to hold each fetch up to 1.5 s; cap it for every consumer made."""
    import aiokafka  # the module Faust's driver looks the class up in at each start

    base = aiokafka.AIOKafkaConsumer
    if getattr(base, "_dyadwatch_capped", False):
        return

    class Capped(base):  # type: ignore[misc, valid-type]
        _dyadwatch_capped = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["fetch_max_wait_ms"] = min(kwargs.get("fetch_max_wait_ms", ms), ms)
            super().__init__(*args, **kwargs)

    aiokafka.AIOKafkaConsumer = Capped


def create_app(
    settings: Settings, bootstrap: str, *, single_record_batches: bool = False, web_port: int = 0
) -> faust.App:
    if single_record_batches:
        # The embedded broker keeps a fetch open for its whole max wait even when records
        # arrive, so every hop would add up to 1.5 s; a short wait bounds that.
        _cap_fetch_wait(100)
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


def bytes_topic(app: faust.App, name: str, partitions: int) -> Any:
    """A topic of raw bytes: our own models parse the values, so a bad one is ours to route."""
    return app.topic(
        name,
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=partitions,
    )


def parse_values(batch: list[Any], model: type[M], what: str) -> list[M]:
    """The readable values of a batch of events, in order."""
    return [v for v in (parse_value(e, model, what) for e in batch) if v is not None]


def parse_value(event: Any, model: type[M], what: str) -> M | None:
    """The event's value as `model`; a record our own stages wrote badly is logged, not fatal."""
    try:
        return model.model_validate_json(event.value or b"")
    except ValidationError as exc:
        log.warning(
            f"unreadable {what}",
            error=str(exc).splitlines()[0],
            topic=event.message.topic,
            partition=event.message.partition,
            offset=event.message.offset,
        )
        return None
