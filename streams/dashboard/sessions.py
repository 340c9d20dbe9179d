"""The SQL of dashboard sessions: a token's hash points at an API key until it expires."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.dialects.postgresql import insert

from models.handles import API_KEYS, SESSIONS
from streams.dashboard.tokens import new_token, token_hash
from streams.web.keys import ApiKey


def open_session(conn: Connection, key: ApiKey, lifetime: dt.timedelta) -> str:
    """A new session for the key; returns the token for the cookie, which is not kept."""
    token = new_token()
    # Sign-ins are rare: clearing what has expired here keeps the table small without a job.
    conn.execute(delete(SESSIONS).where(SESSIONS.c.expires_at <= func.now()))
    conn.execute(
        insert(SESSIONS).values(
            token_hash=token_hash(token),
            api_key_id=key.id,
            expires_at=func.now() + lifetime,
        )
    )
    return token


def session_key(conn: Connection, token: str) -> ApiKey | None:
    """The key behind a live session; a revoked key ends its sessions at once."""
    s, k = SESSIONS.c, API_KEYS.c
    row = conn.execute(
        select(k.id, k.name, k.read_only)
        .join(API_KEYS, k.id == s.api_key_id)
        .where(
            s.token_hash == token_hash(token),
            s.expires_at > func.now(),
            k.revoked_at.is_(None),
        )
    ).first()
    return ApiKey(row.id, row.name, row.read_only) if row else None


def close_session(conn: Connection, token: str) -> None:
    conn.execute(delete(SESSIONS).where(SESSIONS.c.token_hash == token_hash(token)))
