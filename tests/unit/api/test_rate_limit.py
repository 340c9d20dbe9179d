from __future__ import annotations

import pytest

from streams.web.rate_limit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_key_gets_its_burst_then_waits_for_tokens_at_its_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=2.0, burst=3, clock=clock)
    assert [limiter.wait_for("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.wait_for("a") == pytest.approx(0.5)
    # Another key has its own bucket.
    assert limiter.wait_for("b") == 0.0
    clock.now += 0.5
    assert limiter.wait_for("a") == 0.0
    assert limiter.wait_for("a") == pytest.approx(0.5)
    # A refused request takes no token: waiting the time said is enough.
    clock.now += 0.5
    assert limiter.wait_for("a") == 0.0


def test_idle_time_refills_no_further_than_the_burst() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=1.0, burst=2, clock=clock)
    limiter.wait_for("a")
    clock.now += 3600
    assert [limiter.wait_for("a") for _ in range(3)][2] > 0


def test_rate_zero_means_no_limit() -> None:
    limiter = RateLimiter(rate=0.0, burst=1)
    assert all(limiter.wait_for("a") == 0.0 for _ in range(1000))
