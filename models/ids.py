"""Deterministic ids: a hash of the identifying parts, so a replay or a rebuild gives the same
id and every write keyed by it is idempotent.

The parts are joined with the unit separator (U+001F), which no part may hold, so ("a b",
"c") and ("a", "b c") never share an id; 32 hex digits (128 bits) keep collisions out of
reach for any number of rows we will hold."""

from __future__ import annotations

import hashlib
import re
import unicodedata


def stable_id(*parts: object) -> str:
    key = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


_SPACE = re.compile(r"\s+")


def text_id(text: str) -> str:
    """Stable id of an article without one: the same text, however spaced, gets the same id."""
    canonical = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
