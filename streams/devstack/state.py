"""Where the running services are: the environment first, else the embedded stack's state file."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from pydantic import SecretStr

from streams.settings import Settings

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


def with_running_stack(settings: Settings) -> Settings:
    """`settings` completed by a live embedded stack: its broker, database and API stand in
    for what the environment leaves unset. Resolved once, by the command line."""
    if settings.kafka_bootstrap and settings.database_url and settings.api_url:
        return settings
    state = read_state(settings.home)
    if state is None:
        return settings
    update: dict[str, object] = {}
    if not settings.kafka_bootstrap:
        update.update(kafka_bootstrap=state.kafka_bootstrap, broker=state.broker)
    if not settings.database_url:
        update["database_url"] = SecretStr(state.database_url)
    if state.api_url:
        update["api_url"] = settings.api_url or state.api_url
        # Alerts link to the stack's API unless DYADWATCH_PUBLIC_URL says otherwise.
        update["public_url"] = settings.public_url or state.api_url
    return settings.model_copy(update=update)
