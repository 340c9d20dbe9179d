"""The services a benchmark runs against: the ones named in the environment, else its own."""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

from streams.devstack.broker import start_tansu
from streams.devstack.postgres import start_postgres
from tests.kafka_broker import java_available, start_kafka


def start_services(stack: ExitStack, tmp: Path, broker: str | None) -> tuple[str, str, str]:
    """(bootstrap, broker flavor, PostgreSQL URL); what this starts stops with `stack`.

    Apache Kafka when Java is there, else the embedded broker, unless `broker` says which."""
    bootstrap = os.environ.get("DYADWATCH_KAFKA_BOOTSTRAP")
    flavor = broker or ("kafka" if java_available() else "tansu")
    if not bootstrap:
        starter = start_kafka if flavor == "kafka" else start_tansu
        bootstrap = stack.enter_context(starter(tmp / "broker")).bootstrap
    pg = (
        os.environ.get("DYADWATCH_DATABASE_URL")
        or stack.enter_context(start_postgres(tmp / "pg", grant_traverse=True)).url
    )
    return bootstrap, flavor, pg
