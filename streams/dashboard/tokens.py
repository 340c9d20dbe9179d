"""Session tokens and the CSRF tokens derived from them: random, hashed before storage.

The cookie holds the token; the database holds only its hash, so a copy of the table opens
no session. The CSRF token of a session is a hash of its token under another label: a page
of ours can print it into its forms, another site can neither read nor compute it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

COOKIE = "dyadwatch_session"
TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(b"session." + token.encode("utf-8")).hexdigest()


def csrf_for(token: str) -> str:
    return hashlib.sha256(b"csrf." + token.encode("utf-8")).hexdigest()


def csrf_valid(token: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(csrf_for(token), given or "")


def cookie_header(token: str, max_age: int) -> str:
    """Set-Cookie for a session: never readable by scripts, never sent by other sites."""
    return f"{COOKIE}={token}; Max-Age={max_age}; Path=/; HttpOnly; Secure; SameSite=Strict"


def clearing_cookie_header() -> str:
    return f"{COOKIE}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict"


def plausible(token: str | None) -> bool:
    """A cookie value we could have issued: spares the database lookups of junk."""
    return bool(token) and 20 <= len(token or "") <= 100 and (token or "").isascii()
