"""API keys: generated once, shown once, stored as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, func, select, update
from sqlalchemy.dialects.postgresql import insert

from models.handles import API_KEYS

PREFIX = "dw_"


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    read_only: bool = False


def new_key() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    # Keys are 256 random bits, so a plain hash (no salt, no stretching) is enough.
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(conn: Connection, name: str, *, read_only: bool = False) -> tuple[ApiKey, str]:
    """A new key: its record and the key itself, which is not kept anywhere."""
    key = new_key()
    record = ApiKey(uuid.uuid4().hex, name, read_only)
    conn.execute(
        insert(API_KEYS),
        {"id": record.id, "name": name, "key_hash": hash_key(key), "read_only": read_only},
    )
    return record, key


def lookup(conn: Connection, key: str) -> ApiKey | None:
    k = API_KEYS.c
    row = conn.execute(
        select(k.id, k.name, k.read_only).where(k.key_hash == hash_key(key), k.revoked_at.is_(None))
    ).first()
    return ApiKey(row.id, row.name, row.read_only) if row else None


def by_id(conn: Connection, key_id: str) -> ApiKey | None:
    k = API_KEYS.c
    row = conn.execute(
        select(k.id, k.name, k.read_only).where(k.id == key_id, k.revoked_at.is_(None))
    ).first()
    return ApiKey(row.id, row.name, row.read_only) if row else None


def list_keys(conn: Connection) -> list[tuple[str, str, str, str | None, bool]]:
    k = API_KEYS.c
    rows = conn.execute(
        select(k.id, k.name, k.created_at, k.revoked_at, k.read_only).order_by(k.created_at)
    )
    return [
        (
            r.id,
            r.name,
            r.created_at.isoformat(),
            r.revoked_at and r.revoked_at.isoformat(),
            r.read_only,
        )
        for r in rows
    ]


def revoke(conn: Connection, key_id: str) -> bool:
    k = API_KEYS.c
    done = conn.execute(
        update(API_KEYS).where(k.id == key_id, k.revoked_at.is_(None)).values(revoked_at=func.now())
    )
    return bool(done.rowcount)
