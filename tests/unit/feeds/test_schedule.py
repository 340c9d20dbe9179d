"""Feed scheduling: intervals, backoff after failures, conditional request headers."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from models.feeds import EVERY_PATTERN
from streams.errors import ConfigError
from streams.feeds.schedule import (
    conditional_headers,
    format_every,
    next_due,
    parse_every,
    wait_seconds,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("5m", 300), ("90s", 90), ("2h", 7200), ("1d", 86400), ("300", 300), (" 10M ", 600)],
)
def test_intervals_are_read_in_their_units(text: str, seconds: int) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "5 minutes", "-5m", "1.5h", "m", "5w", "2s", "30d"])
def test_bad_or_out_of_range_intervals_are_refused(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_every(text)


@pytest.mark.parametrize(
    ("seconds", "text"), [(300, "5m"), (90, "90s"), (7200, "2h"), (86400, "1d")]
)
def test_intervals_are_written_in_their_shortest_exact_unit(seconds: int, text: str) -> None:
    assert format_every(seconds) == text
    assert parse_every(format_every(seconds)) == seconds


def test_a_healthy_feed_waits_its_own_interval() -> None:
    assert wait_seconds(300, 0, 3600) == 300


def test_each_failure_doubles_the_wait_up_to_the_cap() -> None:
    waits = [wait_seconds(60, failures, 3600) for failures in range(1, 9)]
    assert waits == [120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_the_cap_never_shortens_a_long_interval() -> None:
    assert wait_seconds(86400, 3, 3600) == 86400


def test_a_thousand_failures_stay_at_the_cap() -> None:
    assert wait_seconds(60, 1000, 6 * 3600) == 6 * 3600


def test_next_due_is_now_plus_the_wait() -> None:
    now = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    assert next_due(now, 300, 0, 3600) == now + dt.timedelta(minutes=5)
    assert next_due(now, 300, 2, 3600) == now + dt.timedelta(minutes=20)


def test_conditional_headers_send_the_validators_back_as_given() -> None:
    stamp = "Sun, 01 Mar 2026 10:00:00 GMT"
    assert conditional_headers('W/"abc"', stamp) == {
        "If-None-Match": 'W/"abc"',
        "If-Modified-Since": stamp,
    }
    assert conditional_headers(None, stamp) == {"If-Modified-Since": stamp}
    assert conditional_headers('"x"', None) == {"If-None-Match": '"x"'}
    assert conditional_headers(None, None) == {}


def test_the_api_pattern_for_intervals_takes_exactly_what_the_parser_takes() -> None:
    pattern = re.compile(EVERY_PATTERN)
    for unit, most in (("", 700_000), ("s", 700_000), ("m", 12_000), ("h", 200), ("d", 10)):
        for n in range(most):
            text = f"{n}{unit}"
            try:
                parse_every(text)
                taken = True
            except ConfigError:
                taken = False
            assert bool(pattern.match(text)) is taken, text
    # The pattern is stricter in form only: no leading zeros, spaces or capitals.
    for text in ("010m", " 5m", "5M", "5 m", "5ms", "-5m", ""):
        assert not pattern.match(text), text
