"""`dyadwatch worker`: one Faust worker process; start more to share the partitions."""

from __future__ import annotations

from typing import Any

import faust

from streams.alerts import agent as alerts_agent
from streams.app import create_app
from streams.db import engine_for
from streams.detect import agent as detect_agent
from streams.logs import get_logger
from streams.settings import Settings
from streams.state import agent as state_agent
from streams.topics import Topics, ensure_topics

log = get_logger(__name__)


def build_app(settings: Settings, *, web_port: int = 0) -> faust.App:
    bootstrap = settings.require_kafka_bootstrap()
    topics = Topics.from_settings(settings)
    ensure_topics(bootstrap, topics, settings)
    app = create_app(
        settings,
        bootstrap,
        single_record_batches=settings.broker == "tansu",
        web_port=web_port,
    )
    engine = engine_for(settings.require_database_url())
    detect_agent.register(app, settings, topics, engine)
    state_agent.register(app, settings, topics.changes, engine)
    alerts_agent.register(app, settings, topics, engine)

    @app.on_partitions_assigned.connect  # type: ignore[arg-type]
    async def _assigned(sender: faust.App, assigned: set[Any], **_: Any) -> None:
        # Operators (and tests) read from this line which worker owns which partitions.
        owned = sorted(
            f"{tp.topic}:{tp.partition}" for tp in assigned if tp.topic == topics.articles
        )
        log.info("assigned", partitions=owned)

    return app


def run_worker(settings: Settings, *, loglevel: str = "info", web_port: int = 0) -> None:
    app = build_app(settings, web_port=web_port)
    worker = faust.Worker(app, loglevel=loglevel, quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()
