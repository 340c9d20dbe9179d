"""When a feed is polled next, and what a poll asks the server. Pure.

After a success the feed waits its own interval. After a failure it waits its interval times
two to the number of failures in a row, capped, so a dead or refusing server is asked less
and less often, and a feed that comes back is followed at its own pace again after one good
answer. No jitter: feeds are added at different moments and keep different intervals, so
they do not fall due together."""

from __future__ import annotations

import datetime as dt
import re

from streams.errors import ConfigError

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Polling more often than this is unkind to the outlet and gains nothing for news.
MIN_EVERY_SECONDS = 10
MAX_EVERY_SECONDS = 7 * 86400
_EVERY = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")


def parse_every(text: str) -> int:
    """ "90s", "5m", "2h", "1d" or plain seconds → seconds."""
    found = _EVERY.match(text.lower())
    if not found:
        raise ConfigError(f"not an interval (like 90s, 5m, 2h, 1d): {text!r}")
    seconds = int(found.group(1)) * UNITS[found.group(2) or "s"]
    if not MIN_EVERY_SECONDS <= seconds <= MAX_EVERY_SECONDS:
        raise ConfigError(
            f"interval must be between {MIN_EVERY_SECONDS}s and {MAX_EVERY_SECONDS // 86400}d"
        )
    return seconds


def format_every(seconds: int) -> str:
    """The shortest exact spelling: 300 → "5m", 90 → "90s"."""
    for unit in ("d", "h", "m"):
        if seconds % UNITS[unit] == 0:
            return f"{seconds // UNITS[unit]}{unit}"
    return f"{seconds}s"


def wait_seconds(every_seconds: int, failures: int, cap_seconds: float) -> float:
    """How long to wait before the next poll, given the failures in a row so far."""
    if failures <= 0:
        return float(every_seconds)
    # The exponent is bounded so the number stays small before the cap applies.
    grown = every_seconds * 2.0 ** min(failures, 32)
    return max(float(every_seconds), min(grown, cap_seconds))


def next_due(
    now: dt.datetime, every_seconds: int, failures: int, cap_seconds: float
) -> dt.datetime:
    return now + dt.timedelta(seconds=wait_seconds(every_seconds, failures, cap_seconds))


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """The request headers that let an unchanged feed answer 304 Not Modified.

    The validators go back exactly as the server sent them: an ETag is opaque, and a date
    reformatted by us might not compare equal on the server's side."""
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers
