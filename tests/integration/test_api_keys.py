"""What a key may do, walked over every operation the API documents, and how fast."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from streams.settings import Settings
from streams.web.keys import create_key
from tests.integration.alerts_support import start_api

pytestmark = pytest.mark.integration

WRITES = {"post", "put", "patch", "delete"}


def _key(engine: Engine, name: str, *, read_only: bool = False) -> dict[str, str]:
    with engine.begin() as conn:
        return {"Authorization": f"Bearer {create_key(conn, name, read_only=read_only)[1]}"}


def test_every_documented_write_refuses_a_read_only_key_and_every_read_takes_it(
    api: str, engine: Engine
) -> None:
    viewer = _key(engine, "viewer", read_only=True)
    writer = _key(engine, "writer")
    document = httpx.get(f"{api}/openapi.json").json()
    walked = {"read": 0, "write": 0}
    for path, operations in document["paths"].items():
        concrete = (
            path.replace("{dyad}", "US-VE").replace("{sub_id}", "0").replace("{feed_id}", "0")
        )
        for method, operation in operations.items():
            url = f"{api}{concrete}"
            body: dict[str, object] | None = {} if "requestBody" in operation else None
            secured = bool(operation.get("security"))
            if method in WRITES:
                assert secured, f"{method.upper()} {path} is a write without a key"
                seen = httpx.request(method, url, json=body, headers=viewer).status_code
                assert seen == 403, f"{method.upper()} {path} answered {seen} to a read-only key"
                mine = httpx.request(method, url, json=body, headers=writer).status_code
                assert mine not in (401, 403), f"{method.upper()} {path}: {mine} to a writer"
                walked["write"] += 1
            elif secured and path != "/v1/alerts/stream":
                seen = httpx.request(method, url, headers=viewer).status_code
                assert seen not in (401, 403), f"{method.upper()} {path}: {seen} to a viewer"
                walked["read"] += 1
            if secured:
                anonymous = httpx.request(method, url, json=body).status_code
                assert anonymous == 401, f"{method.upper()} {path}: {anonymous} without a key"
    # The walk saw the API as it is documented (so a route added later is walked too).
    assert walked["write"] >= 7 and walked["read"] >= 7, walked


def test_a_key_over_its_rate_is_answered_429_with_retry_after(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    fast, slow = _key(engine, "fast"), _key(engine, "slow")
    process, base = start_api(
        settings, tmp_path / "api.log", DYADWATCH_API_RATE="0.5", DYADWATCH_API_BURST="3"
    )
    try:
        answers = [httpx.get(f"{base}/v1/subscriptions", headers=fast) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        refused = answers[-1]
        assert refused.json()["error"] == "rate_limited"
        assert 1 <= int(refused.headers["Retry-After"]) <= 2
        # Another key is not held back by this one; health checks are not limited at all.
        assert httpx.get(f"{base}/v1/subscriptions", headers=slow).status_code == 200
        assert httpx.get(f"{base}/healthz").status_code == 200
    finally:
        process.stop()
