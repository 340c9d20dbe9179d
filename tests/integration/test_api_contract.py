"""The HTTP API keeps the contract its own OpenAPI document states, under Schemathesis run
against the live server: no 5xx, every response matching its declared schema, every status
code declared, schema-valid requests taken and schema-violating ones refused, a right
`Allow` on 405, and the key enforced where the document says it is needed.

Every check and every phase (examples, coverage, fuzzing, stateful sequences) runs; the seed
is fixed so that a failure here is a failure on the next run too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from streams.web.keys import create_key

pytestmark = pytest.mark.integration

CONFIG = Path(__file__).with_name("schemathesis.toml")
SEED = 20261203
EXAMPLES = 25


def test_the_api_keeps_its_openapi_contract(api: str, engine: Engine, tmp_path: Path) -> None:
    with engine.begin() as conn:
        _, key = create_key(conn, "contract")
    st = Path(sys.executable).with_name("st")
    argv = [
        str(st),
        "--config-file",
        str(CONFIG),
        "run",
        f"{api}/openapi.json",
        "--header",
        f"Authorization: Bearer {key}",
        "--checks",
        "all",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        "--generation-database",
        "none",
        "--report-dir",
        str(tmp_path / "report"),
        "--no-color",
    ]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=900, cwd=tmp_path)
    summary = done.stdout[-6000:]
    assert done.returncode == 0, f"Schemathesis found failures:\n{summary}\n{done.stderr[-2000:]}"
    assert "Tested: 17" in done.stdout, summary
