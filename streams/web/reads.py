"""Reads for reporting and the stream: a dyad's state, the change feed, alerts after a seq."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import Connection, text

from streams.web.errors import Invalid

_STATUS_COLUMNS = (
    "dimension, direction, actor, target, state, valid_from, valid_to, since_precision, "
    "since_basis, articles, outlets, stories, events, confidence, latest_evidence, "
    "latest_article_id"
)


def dyad(conn: Connection, pair: str) -> dict[str, Any]:
    status = conn.execute(
        text(f"SELECT {_STATUS_COLUMNS} FROM dyad_status WHERE dyad = :d ORDER BY dimension"),
        {"d": pair},
    ).mappings()
    history = conn.execute(
        text(
            f"SELECT {_STATUS_COLUMNS} FROM dyad_history WHERE dyad = :d "
            "ORDER BY dimension, direction, valid_from"
        ),
        {"d": pair},
    ).mappings()
    signals = conn.execute(
        text(
            "SELECT dimension, type, actor, target, opened_on, expires_on, articles, outlets, "
            "stories, confidence, latest_evidence FROM dyad_signals WHERE dyad = :d "
            "ORDER BY opened_on"
        ),
        {"d": pair},
    ).mappings()
    return {
        "dyad": pair,
        "status": [dict(r) for r in status],
        "history": [dict(r) for r in history],
        "signals": [dict(r) for r in signals],
    }


# A position in the change feed: when the last row was recorded (microseconds since the
# epoch) and its id, the feed's sort key. Any well-formed cursor names a position, so the
# OpenAPI pattern is the whole contract.
CURSOR_PATTERN = r"^[0-9]{1,17}-[0-9a-f]{1,64}$"
_CURSOR = re.compile(CURSOR_PATTERN)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def encode_cursor(recorded_at: dt.datetime, change_id: str) -> str:
    micros = (recorded_at - _EPOCH) // dt.timedelta(microseconds=1)
    return f"{micros}-{change_id}"


def decode_cursor(cursor: str) -> tuple[dt.datetime, str]:
    if not _CURSOR.match(cursor):
        raise Invalid("cursor is not one this API gave out")
    micros, _, change_id = cursor.partition("-")
    return _EPOCH + dt.timedelta(microseconds=int(micros)), change_id


def changes(
    conn: Connection,
    *,
    since: dt.datetime | None,
    cursor: str | None,
    dyad: str | None,
    limit: int,
) -> dict[str, Any]:
    """One page of the change feed in recorded order; `next` continues after its last row."""
    where = ["true"]
    params: dict[str, Any] = {"limit": limit}
    if cursor:
        params["at"], params["id"] = decode_cursor(cursor)
        where.append("(recorded_at, id) > (:at, :id)")
    elif since:
        params["since"] = since
        where.append("recorded_at >= :since")
    if dyad:
        params["dyad"] = dyad
        where.append("dyad = :dyad")
    rows = conn.execute(
        text(
            "SELECT id, payload, recorded_at FROM dyad_changes WHERE "
            + " AND ".join(where)
            + " ORDER BY recorded_at, id LIMIT :limit"
        ),
        params,
    ).all()
    items = [{**r.payload, "recorded_at": r.recorded_at} for r in rows]
    last = rows[-1] if rows else None
    following = encode_cursor(last.recorded_at, last.id) if last else cursor
    return {"changes": items, "next": following, "more": len(rows) == limit}


def latest_seq(conn: Connection, key_id: str) -> int:
    return int(
        conn.execute(
            text(
                "SELECT coalesce(max(a.seq), 0) FROM alerts a "
                "JOIN subscriptions s ON s.id = a.subscription_id WHERE s.api_key_id = :k"
            ),
            {"k": key_id},
        ).scalar_one()
    )


def alerts_after(conn: Connection, key_id: str, seq: int, limit: int) -> list[tuple[int, Any]]:
    """The key's alerts with a seq above `seq`, in order: what an SSE client has not seen."""
    rows = conn.execute(
        text(
            "SELECT a.seq, a.payload FROM alerts a "
            "JOIN subscriptions s ON s.id = a.subscription_id "
            "WHERE s.api_key_id = :k AND a.seq > :seq ORDER BY a.seq LIMIT :limit"
        ),
        {"k": key_id, "seq": seq, "limit": limit},
    ).all()
    return [(int(r.seq), r.payload) for r in rows]
