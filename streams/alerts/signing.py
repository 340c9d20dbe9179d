"""Webhook signatures: `X-Dyadwatch-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`.

The HMAC covers "<t>.<raw body>", so a captured request cannot be replayed later with a new
timestamp, and receivers reject timestamps outside a tolerance window.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Dyadwatch-Signature"
DEFAULT_TOLERANCE = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The header value for `body` sent at `timestamp`."""
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(
    secret: str, header: str, body: bytes, *, now: float, tolerance: int = DEFAULT_TOLERANCE
) -> bool:
    """True when `header` signs `body` with `secret` and its timestamp is within tolerance.

    Several v1 entries are accepted so that a sender may sign with an old and a new secret
    while they are being rotated.
    """
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            return False
        if key == "t":
            if not value.isdigit():
                return False
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates or abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, c) for c in candidates)
