from __future__ import annotations

import random

from streams.alerts.schedule import RetryPolicy


def test_delays_double_within_their_jitter_band_up_to_the_cap() -> None:
    policy = RetryPolicy(base=1.0, cap=60.0, max_attempts=20)
    rand = random.Random(7)
    for failures, nominal in [(1, 1), (2, 2), (3, 4), (6, 32), (7, 60), (15, 60)]:
        for _ in range(50):
            delay = policy.delay(failures, rand)
            assert nominal / 2 <= delay <= nominal


def test_jitter_spreads_retries() -> None:
    policy = RetryPolicy(base=10.0)
    delays = {round(policy.delay(3, random.Random(seed)), 3) for seed in range(20)}
    assert len(delays) > 10


def test_gives_up_after_max_attempts() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert not policy.gives_up(2)
    assert policy.gives_up(3)


def test_default_policy_keeps_trying_for_hours() -> None:
    assert 6 * 3600 < RetryPolicy().horizon() < 12 * 3600
