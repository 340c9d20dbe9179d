"""The SQL of dead letters: recorded once per origin, counted by stage and reason."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects.postgresql import insert

from models.handles import DEAD_LETTERS


def record_letters(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Record dead letters in the caller's transaction; a replayed one is recorded once."""
    if rows:
        conn.execute(insert(DEAD_LETTERS).on_conflict_do_nothing(), list(rows))


def letter_counts(conn: Connection) -> list[tuple[str, str, int]]:
    """(stage, reason, count) of every dead letter recorded."""
    query = (
        select(DEAD_LETTERS.c.stage, DEAD_LETTERS.c.reason, func.count())
        .group_by(DEAD_LETTERS.c.stage, DEAD_LETTERS.c.reason)
        .order_by(DEAD_LETTERS.c.stage, DEAD_LETTERS.c.reason)
    )
    return [(stage, reason, int(n)) for stage, reason, n in conn.execute(query)]
