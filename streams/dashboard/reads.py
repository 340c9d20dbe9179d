"""The SQL behind the pages that the reporting views do not already answer.

State is read through `dyad_status`, `dyad_history` and the as-of functions, the same
semantics as `dyadwatch report`; evidence comes from `events` with its article.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, text

from models.vocabulary import VOCABULARY

_OVERVIEW = """
SELECT dyad, dimension, direction, actor, target, state, valid_from AS since, since_precision,
       since_basis, articles, outlets, stories, confidence
  FROM {source}
 WHERE dimension = :dimension AND state <> :baseline
 ORDER BY dyad, direction
"""


def non_baseline(conn: Connection, dimension: str, as_of: dt.date | None) -> list[dict[str, Any]]:
    """The pairs whose state on that day (today without one) is not the starting state."""
    source = "dyad_status_as_of(:day)" if as_of else "dyad_status"
    rows = conn.execute(
        text(_OVERVIEW.format(source=source)),
        {"dimension": dimension, "baseline": VOCABULARY.initial(dimension), "day": as_of},
    ).mappings()
    return [dict(r) for r in rows]


def open_signal_counts(conn: Connection, as_of: dt.date | None) -> dict[str, int]:
    source = "dyad_signals_as_of(:day)" if as_of else "dyad_signals"
    rows = conn.execute(
        text(f"SELECT dimension, count(*) AS n FROM {source} GROUP BY dimension"), {"day": as_of}
    )
    counts = {dimension: 0 for dimension in VOCABULARY.dimensions}
    counts.update({r.dimension: int(r.n) for r in rows})
    return counts


def latest_changes(conn: Connection, limit: int) -> list[dict[str, Any]]:
    """The newest changes, newest first, each with its place in the feed's order."""
    rows = conn.execute(
        text(
            "SELECT id, payload, recorded_at FROM dyad_changes "
            "ORDER BY recorded_at DESC, id DESC LIMIT :limit"
        ),
        {"limit": limit},
    )
    return [{**r.payload, "recorded_at": r.recorded_at, "change_id": r.id} for r in rows]


_EVIDENCE = """
SELECT e.id, e.type, e.status, e.actor, e.target, e.event_date, e.date_precision, e.confidence,
       e.lang, e.evidence_text, a.id AS article_id, a.title, a.url, a.source,
       a.published_at, a.recorded_at
  FROM events e JOIN articles a ON a.id = e.article_id
 WHERE (e.actor = :a AND e.target = :b) OR (e.actor = :b AND e.target = :a)
 ORDER BY a.published_at DESC NULLS LAST, e.recorded_at DESC, e.id
 LIMIT :limit
"""


def evidence(conn: Connection, pair: str, limit: int) -> list[dict[str, Any]]:
    a, _, b = pair.partition("-")
    rows = conn.execute(text(_EVIDENCE), {"a": a, "b": b, "limit": limit}).mappings()
    return [dict(r) for r in rows]
