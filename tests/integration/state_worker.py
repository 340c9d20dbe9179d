"""A Faust worker that runs only the state agent, for tests: `python -m
tests.integration.state_worker CHANGES_TOPIC`. Settings come from DYADWATCH_* as usual."""

from __future__ import annotations

import sys

import faust

from streams.app import create_app
from streams.db import engine_for
from streams.logs import configure
from streams.settings import Settings
from streams.state import agent


def main(changes_topic: str) -> None:
    settings = Settings()
    configure("INFO", "console")
    assert settings.kafka_bootstrap and settings.database_url_value()
    app = create_app(
        settings, settings.kafka_bootstrap, single_record_batches=settings.broker == "tansu"
    )
    agent.register(app, settings, changes_topic, engine_for(settings.database_url_value() or ""))
    faust.Worker(
        app, loglevel="info", quiet=True, redirect_stdouts=False
    ).execute_from_commandline()


if __name__ == "__main__":
    main(sys.argv[1])
