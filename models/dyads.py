"""The one way a pair of states is written: "US-VE", its two codes in alphabetical order.

A dyad is unordered, so "VE-US", "ve-us" and "US-VE" are one dyad with one spelling; what
acted on whom is kept apart (`actor`, `target`, or a track's direction "US>VE")."""

from __future__ import annotations

import re

_CODE = re.compile(r"^[A-Z]{2}$")
# How a dyad is written in a URL or a query, in either order and either case ("ve-us").
DYAD_PATTERN = r"^[A-Za-z]{2}-[A-Za-z]{2}$"
# What people type at a terminal or into an address: "US VE", "US/VE", "US>VE", "US–VE".
_LOOSE_SEPARATORS = re.compile(r"[-–>/,\s]+")


class DyadError(ValueError):
    """Not two distinct two-letter country codes."""


def dyad_of(first: str, second: str) -> str:
    """The dyad of two states, in whichever order they come."""
    a, b = sorted((first, second))
    return f"{a}-{b}"


def parse_dyad(text: str, *, loose: bool = False) -> str:
    """ "ve-us" → "US-VE"; `loose` also takes the other separators people type."""
    cleaned = text.strip().upper()
    if loose:
        parts = _LOOSE_SEPARATORS.split(cleaned)
    else:
        a, sep, b = cleaned.partition("-")
        parts = [a, b] if sep else [cleaned]
    if len(parts) != 2 or not all(_CODE.match(p) for p in parts) or parts[0] == parts[1]:
        raise DyadError(f"a dyad is two country codes like US-VE, got {text[:20]!r}")
    return dyad_of(*parts)
