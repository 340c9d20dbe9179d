"""A burst of changes fanned out to many webhook subscriptions, with every receiver down for
the first seconds: each alert is accepted exactly once per subscription. The short version
of `bench/fanout.py`, on a real PostgreSQL and real local HTTP receivers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.fanout import run

pytestmark = pytest.mark.integration


def test_a_burst_through_an_outage_is_accepted_once_per_subscription(
    database_url: str, tmp_path: Path
) -> None:
    found = run(
        database_url,
        tmp_path / "home",
        subscriptions=200,
        receivers=10,
        changes=20,
        pairs_followed=10,
        outage=3.0,
        timeout=120.0,
    )
    # 20 changes over 10 pairs, 20 subscriptions per pair: 2 x 20 x 10 alerts.
    assert found.stored == 400
    assert (found.lost, found.duplicates) == (0, 0), found
    assert found.refused > 0  # the outage was real: deliveries were refused, then retried
