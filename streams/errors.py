"""The one error tree. Per-message errors carry a short machine reason for the dead-letter topic."""

from __future__ import annotations


class DyadwatchError(Exception):
    """Base of every error dyadwatch raises on purpose."""


class ConfigError(DyadwatchError):
    """Settings or environment make the command impossible (no stack running, bad URL, …)."""


class DataError(DyadwatchError, ValueError):
    """A data file shipped with dyadwatch (a lexicon, the gazetteer) is missing or invalid:
    found at load, every problem named, before any article is read."""


class RejectedMessage(DyadwatchError):
    """One input message cannot be used; it goes to the dead-letter topic, the rest goes on."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class FetchFailed(DyadwatchError):
    """A feed or page could not be fetched or used; the reason is a short stable string that
    feed health and `/metrics` show (timeout, too_large, unsafe_url, http_503, not_a_feed…)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class InvalidInput(DyadwatchError, ValueError):
    """A value from outside — a JSONL line, a feed, a form field, a date written in a text, a
    dead letter read back — cannot be read; the message says why, in words a user can act on."""
