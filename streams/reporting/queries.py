"""The reads behind `dyadwatch report`: only the reporting views and as-of functions, so the
read-only role can run every report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, text

_STATUS_COLUMNS = """
    'state' AS kind, dyad, dimension, actor, target, state,
    valid_from AS since, since_precision, since_basis, valid_to AS until, NULL::date AS expires,
    NULL::text AS outcome, articles, outlets, stories, confidence,
    latest_evidence AS evidence, latest_article_id AS article_id
"""
_SIGNAL_COLUMNS = """
    'signal' AS kind, dyad, dimension, actor, target, type AS state,
    opened_on AS since, opened_precision AS since_precision, opened_basis AS since_basis,
    closed_on AS until, {expires} AS expires, outcome, articles, outlets, stories,
    confidence, latest_evidence AS evidence, latest_article_id AS article_id
"""
_ORDER = " ORDER BY dyad, dimension, since, actor"


def _scope(pair: str | None, country: str | None) -> tuple[str, dict[str, Any]]:
    if pair:
        return " WHERE dyad = :pair", {"pair": pair}
    if country:
        return (
            " WHERE split_part(dyad, '-', 1) = :c OR split_part(dyad, '-', 2) = :c",
            {"c": country},
        )
    return "", {}


def _read(conn: Connection, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(text(sql), params).mappings()]


def status(
    conn: Connection, *, pair: str | None, country: str | None, as_of: dt.date | None
) -> list[dict[str, Any]]:
    source = "dyad_status_as_of(:day)" if as_of else "dyad_status"
    where, params = _scope(pair, country)
    return _read(
        conn, f"SELECT {_STATUS_COLUMNS} FROM {source}{where}{_ORDER}", {**params, "day": as_of}
    )


def signals(
    conn: Connection, *, pair: str | None, country: str | None, as_of: dt.date | None
) -> list[dict[str, Any]]:
    source = "dyad_signals_as_of(:day)" if as_of else "dyad_signals"
    # Today's signals lapse on our clock; signals of a past day lapsed in valid time.
    columns = _SIGNAL_COLUMNS.format(expires="expires_on" if as_of else "lapses_at::date")
    where, params = _scope(pair, country)
    return _read(conn, f"SELECT {columns} FROM {source}{where}{_ORDER}", {**params, "day": as_of})


def history(conn: Connection, *, pair: str) -> list[dict[str, Any]]:
    where, params = _scope(pair, None)
    return _read(conn, f"SELECT {_STATUS_COLUMNS} FROM dyad_history{where}{_ORDER}", params)


def signal_history(conn: Connection, *, pair: str) -> list[dict[str, Any]]:
    where, params = _scope(pair, None)
    columns = _SIGNAL_COLUMNS.format(expires="expires_on")
    return _read(conn, f"SELECT {columns} FROM dyad_signal_history{where}{_ORDER}", params)
