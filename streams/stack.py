"""Where the running services are: the environment first, else the embedded stack's state file."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from streams.errors import ConfigError
from streams.settings import Settings, get_settings

STATE_FILE = "stack.json"


@dataclass(frozen=True)
class StackState:
    """Written by `dyadwatch up`, read by every other command."""

    kafka_bootstrap: str
    database_url: str
    api_url: str
    pid: int
    broker: str = "tansu"

    def write(self, home: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        tmp = home / f".{STATE_FILE}.tmp"
        tmp.write_text(json.dumps(asdict(self), indent=2))
        tmp.replace(home / STATE_FILE)


def read_state(home: Path) -> StackState | None:
    """The embedded stack's state, or None when no live stack owns this home."""
    path = home / STATE_FILE
    try:
        data = json.loads(path.read_text())
        state = StackState(**data)
    except (OSError, ValueError, TypeError):
        return None
    if not _alive(state.pid):
        return None
    return state


def clear_state(home: Path) -> None:
    (home / STATE_FILE).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_NO_STACK = (
    "no {what} configured: set DYADWATCH_{env} or start the embedded stack with `dyadwatch up`"
)


def resolve_bootstrap(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    if settings.kafka_bootstrap:
        return settings.kafka_bootstrap
    state = read_state(settings.home)
    if state is None:
        raise ConfigError(_NO_STACK.format(what="Kafka", env="KAFKA_BOOTSTRAP"))
    return state.kafka_bootstrap


def resolve_database_url(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    url = settings.database_url_value()
    if url:
        return url
    state = read_state(settings.home)
    if state is None:
        raise ConfigError(_NO_STACK.format(what="database", env="DATABASE_URL"))
    return state.database_url


def resolve_broker(settings: Settings | None = None) -> str:
    """Which broker the resolved bootstrap points at; the embedded stack runs Tansu."""
    settings = settings or get_settings()
    if settings.kafka_bootstrap:
        return settings.broker
    state = read_state(settings.home)
    return state.broker if state else settings.broker
