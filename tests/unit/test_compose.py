"""docker-compose.yml cannot run here, so it is checked: against the Compose schema, and
against the project itself (settings it sets exist, commands it runs exist)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.cli import build_parser
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
# The Compose specification's schema as Debian's docker-compose package ships it.
SCHEMA_PATHS = [
    Path("/usr/lib/python3/dist-packages/compose/config/compose_spec.json"),
]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())  # type: ignore[no-any-return]


def _dyadwatch_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: svc
        for name, svc in compose["services"].items()
        if "dyadwatch" in str(svc.get("image", ""))
    }


def test_stack_has_the_production_services(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"kafka", "postgres", "migrate", "worker"} <= set(services)
    assert services["kafka"]["image"].startswith("apache/kafka:4.")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["worker"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )


def test_dyadwatch_services_run_real_cli_commands(compose: dict[str, Any]) -> None:
    parser = build_parser()
    choices = next(a for a in parser._actions if a.dest == "command").choices
    assert choices is not None
    services = _dyadwatch_services(compose)
    assert {"migrate", "worker"} <= set(services)
    for name, svc in services.items():
        command = svc["command"]
        assert command[0] in choices, f"{name} runs unknown command {command[0]!r}"
        parser.parse_args(command)  # raises SystemExit on flags the CLI does not take


def test_environment_matches_the_settings(compose: dict[str, Any]) -> None:
    fields = {f"DYADWATCH_{name.upper()}" for name in Settings.model_fields}
    for name, svc in _dyadwatch_services(compose).items():
        env = svc["environment"]
        unknown = {key for key in env if key not in fields}
        assert not unknown, f"{name} sets variables no setting reads: {unknown}"
        assert env["DYADWATCH_BROKER"] == "kafka"
        assert env["DYADWATCH_DATABASE_URL"].startswith("postgresql+psycopg://")
        Settings.model_validate({k.removeprefix("DYADWATCH_").lower(): v for k, v in env.items()})


def test_published_ports_bind_loopback_only(compose: dict[str, Any]) -> None:
    for name, svc in compose["services"].items():
        for port in svc.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"


def test_no_secret_is_written_in_the_file() -> None:
    text = COMPOSE.read_text()
    assert "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?" in text
    assert "DYADWATCH_SECRET_KEYS: ${DYADWATCH_SECRET_KEYS:?" in text


def test_valid_against_the_compose_schema(compose: dict[str, Any]) -> None:
    schema_path = next((p for p in SCHEMA_PATHS if p.exists()), None)
    if schema_path is None:
        pytest.skip("the Compose schema is not installed (apt-get install docker-compose)")
    import jsonschema

    schema = json.loads(schema_path.read_text())
    jsonschema.validate(compose, schema)


def test_compose_cli_accepts_the_file() -> None:
    tool = shutil.which("docker-compose")
    if tool is None:
        pytest.skip("docker-compose is not installed")
    result = subprocess.run(
        [tool, "-f", str(COMPOSE), "config", "-q"],
        env={
            **os.environ,
            "POSTGRES_PASSWORD": "only-for-validation",
            "DYADWATCH_SECRET_KEYS": "only-for-validation",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
