"""Topic names in one place, so the CLI, the worker and the tests agree."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from streams.settings import Settings


@dataclass(frozen=True)
class Topics:
    articles: str
    events: str
    deadletter: str
    changes: str
    alerts: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Topics:
        p = settings.topic_prefix
        return cls(
            articles=f"{p}news.articles",
            events=f"{p}events.detected",
            deadletter=f"{p}news.deadletter",
            changes=f"{p}dyad.changes",
            alerts=f"{p}alerts",
        )


def ensure_topics(bootstrap: str, topics: Topics, settings: Settings) -> None:
    """Create the topics with their partition counts; existing ones are left as they are."""
    from kafka.admin import KafkaAdminClient, NewTopic
    from kafka.errors import TopicAlreadyExistsError

    wanted = {
        topics.articles: settings.articles_partitions,
        topics.events: settings.events_partitions,
        topics.deadletter: settings.deadletter_partitions,
        topics.changes: settings.changes_partitions,
        topics.alerts: settings.alerts_partitions,
    }
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="dyadwatch-admin")
    try:
        existing = set(admin.list_topics())
        missing = [
            NewTopic(name, num_partitions=n, replication_factor=1)
            for name, n in wanted.items()
            if name not in existing
        ]
        if missing:
            # Another starter may win the race; the outcome is the same.
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(missing)
    finally:
        admin.close()
