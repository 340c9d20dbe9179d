"""Faust wiring only: the app object and its settings. Agents register themselves on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import faust
from pydantic import BaseModel, ValidationError

from streams.deadletter import UNREADABLE, Letters
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


@dataclass(frozen=True)
class Received(Generic[M]):
    """A record of one of our own topics, parsed, with where it came from."""

    value: M
    origin: dict[str, Any]
    payload: bytes
    key: bytes | None


def origin_of(event: Any) -> dict[str, Any]:
    message = event.message
    return {"topic": message.topic, "partition": message.partition, "offset": message.offset}


def read_values(batch: list[Any], model: type[M], letters: Letters) -> list[Received[M]]:
    """The readable values of a batch of events, in order; the others become dead letters."""
    out: list[Received[M]] = []
    for event in batch:
        payload = event.value or b""
        origin = origin_of(event)
        try:
            value = model.model_validate_json(payload)
        except ValidationError as exc:
            detail = str(exc).splitlines()[0]
            log.warning("unreadable record", error=detail, stage=letters.stage, **origin)
            letters.add(UNREADABLE, detail, origin, payload, error=exc, key=event.key)
            continue
        out.append(Received(value, origin, payload, event.key))
    return out
