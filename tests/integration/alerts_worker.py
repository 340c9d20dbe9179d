"""A full `dyadwatch worker` plus the alerts agent, for tests, whether or not the worker
registers it itself yet: `python -m tests.integration.alerts_worker`."""

from __future__ import annotations

import faust

from streams.alerts import agent
from streams.db import engine_for
from streams.logs import configure
from streams.settings import Settings
from streams.stack import resolve_database_url
from streams.topics import Topics
from streams.worker import build_app


def main() -> None:
    settings = Settings()
    configure("INFO", "console")
    app = build_app(settings)
    if "alerts" not in app.agents:
        engine = engine_for(resolve_database_url(settings))
        agent.register(app, settings, Topics.from_settings(settings), engine)
    faust.Worker(
        app, loglevel="info", quiet=True, redirect_stdouts=False
    ).execute_from_commandline()


if __name__ == "__main__":
    main()
