"""Finding services: environment first, then a live embedded stack, else a clear error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from streams.cli import main
from streams.errors import ConfigError
from streams.settings import Settings
from streams.stack import (
    StackState,
    clear_state,
    read_state,
    resolve_bootstrap,
    resolve_database_url,
)


def test_environment_wins(tmp_path: Path) -> None:
    settings = Settings(
        home=tmp_path, kafka_bootstrap="k:1", database_url="postgresql+psycopg://x/y"
    )
    assert resolve_bootstrap(settings) == "k:1"
    assert resolve_database_url(settings) == "postgresql+psycopg://x/y"


def test_a_live_stack_is_found_and_a_dead_one_is_not(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    StackState("127.0.0.1:9", "postgresql+psycopg://p@h:1/d", "", os.getpid(), "tansu").write(
        tmp_path
    )
    assert resolve_bootstrap(settings) == "127.0.0.1:9"
    assert read_state(tmp_path) is not None
    dead = 2**22 + 12345  # above any pid this kernel hands out by default
    StackState("127.0.0.1:9", "u", "", dead, "tansu").write(tmp_path)
    assert read_state(tmp_path) is None
    clear_state(tmp_path)
    with pytest.raises(ConfigError, match="dyadwatch up"):
        resolve_database_url(settings)


def test_cli_says_what_to_do_without_a_stack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from streams.settings import get_settings

    monkeypatch.setenv("DYADWATCH_HOME", str(tmp_path))
    monkeypatch.delenv("DYADWATCH_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        assert main(["db-url"]) == 2
    finally:
        get_settings.cache_clear()
    assert "DYADWATCH_DATABASE_URL" in capsys.readouterr().err


def test_settings_reject_bad_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DYADWATCH_ARTICLES_PARTITIONS", "0")
    with pytest.raises(ValueError, match="articles_partitions"):
        Settings()
    monkeypatch.setenv("DYADWATCH_ARTICLES_PARTITIONS", "3")
    monkeypatch.setenv("DYADWATCH_BROKER", "rabbit")
    with pytest.raises(ValueError, match="broker"):
        Settings()
