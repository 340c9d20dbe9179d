"""Finding services: environment first, then a live embedded stack, else a clear error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import SecretStr

from streams.cli import main
from streams.devstack.state import StackState, clear_state, read_state, with_running_stack
from streams.errors import ConfigError
from streams.settings import Settings


def test_environment_wins(tmp_path: Path) -> None:
    settings = Settings(
        home=tmp_path,
        kafka_bootstrap="k:1",
        database_url=SecretStr("postgresql+psycopg://x/y"),
        api_url="http://api:1",
    )
    StackState("127.0.0.1:9", "postgresql+psycopg://p@h:1/d", "", os.getpid(), "tansu").write(
        tmp_path
    )
    resolved = with_running_stack(settings)
    assert resolved.require_kafka_bootstrap() == "k:1"
    assert resolved.require_database_url() == "postgresql+psycopg://x/y"
    assert resolved.broker == "kafka"


def test_a_live_stack_is_found_and_a_dead_one_is_not(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    StackState(
        "127.0.0.1:9", "postgresql+psycopg://p@h:1/d", "http://127.0.0.1:7", os.getpid(), "tansu"
    ).write(tmp_path)
    resolved = with_running_stack(settings)
    assert resolved.require_kafka_bootstrap() == "127.0.0.1:9"
    assert resolved.require_database_url() == "postgresql+psycopg://p@h:1/d"
    # The stack runs Tansu, and its API is where alerts link and the CLI calls.
    assert resolved.broker == "tansu"
    assert (resolved.api_url, resolved.public_url) == ("http://127.0.0.1:7", "http://127.0.0.1:7")
    assert settings.kafka_bootstrap is None  # the environment's settings are left as they were
    assert read_state(tmp_path) is not None
    dead = 2**22 + 12345  # above any pid this kernel hands out by default
    StackState("127.0.0.1:9", "u", "", dead, "tansu").write(tmp_path)
    assert read_state(tmp_path) is None
    clear_state(tmp_path)
    with pytest.raises(ConfigError, match="dyadwatch up"):
        with_running_stack(settings).require_database_url()
    with pytest.raises(ConfigError, match="DYADWATCH_KAFKA_BOOTSTRAP"):
        with_running_stack(settings).require_kafka_bootstrap()


def test_a_public_url_given_is_kept(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, public_url="https://dyadwatch.example")
    StackState(
        "127.0.0.1:9", "postgresql+psycopg://p@h:1/d", "http://127.0.0.1:7", os.getpid()
    ).write(tmp_path)
    assert with_running_stack(settings).public_url == "https://dyadwatch.example"


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
