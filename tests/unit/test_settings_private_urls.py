"""One switch lifts the private-address rule for every URL; the webhook name is its alias."""

from __future__ import annotations

import pytest

from streams.settings import Settings


@pytest.mark.parametrize(
    ("env", "allowed"),
    [
        ({}, False),
        ({"DYADWATCH_ALLOW_PRIVATE_URLS": "true"}, True),
        ({"DYADWATCH_WEBHOOK_ALLOW_PRIVATE": "true"}, True),
        ({"DYADWATCH_ALLOW_PRIVATE_URLS": "false", "DYADWATCH_WEBHOOK_ALLOW_PRIVATE": "0"}, False),
    ],
)
def test_private_urls_are_allowed_by_either_name(
    env: dict[str, str], allowed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DYADWATCH_ALLOW_PRIVATE_URLS", raising=False)
    monkeypatch.delenv("DYADWATCH_WEBHOOK_ALLOW_PRIVATE", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert Settings().private_urls_allowed() is allowed
