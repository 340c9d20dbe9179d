"""`dyadwatch report status|history`: dyad state as a table for people, JSON or CSV for machines.
Each row carries its state, since when (with precision), its sources and latest evidence."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from typing import Any, TextIO

from sqlalchemy import Engine

from models.dyads import DyadError, parse_dyad
from models.vocabulary import VOCABULARY
from streams.errors import DyadwatchError
from streams.reporting import queries
from streams.reporting.names import country_name

FORMATS = ("table", "json", "csv")
FIELDS = (
    "kind", "pair", "dimension", "actor", "actor_name", "target", "target_name", "state",
    "since", "since_precision", "since_basis", "since_text", "until", "expires", "outcome",
    "articles", "outlets", "stories", "confidence", "evidence", "article_id",
)  # fmt: skip
_CODE = re.compile(r"^[A-Za-z]{2}$")


def normalize_pair(pair: str) -> str:
    """A pair as typed at the terminal ("ve/us", "US>VE") → its one spelling."""
    try:
        return parse_dyad(pair, loose=True)
    except DyadError:
        raise DyadwatchError(f"a pair is two country codes like US-VE, got {pair!r}") from None


def normalize_country(code: str) -> str:
    if not _CODE.match(code):
        raise DyadwatchError(f"a country is a two-letter code like RU, got {code!r}")
    return code.upper()


def since_text(day: dt.date | None, precision: str | None, basis: str | None) -> str:
    if day is None:
        return ""
    shown = {"year": day.isoformat()[:4], "month": day.isoformat()[:7]}.get(precision or "")
    shown = shown or day.isoformat()
    # Without a date in the text, we only know it held by the day it was reported.
    return shown if basis == "stated" else f"by {shown}"


def _row(raw: dict[str, Any]) -> dict[str, Any]:
    row = {**raw, "pair": raw["dyad"]}
    row["actor_name"] = country_name(raw["actor"])
    row["target_name"] = country_name(raw["target"])
    row["since_text"] = since_text(raw["since"], raw["since_precision"], raw["since_basis"])
    row["evidence"] = " ".join((raw["evidence"] or "").split())
    return {k: row.get(k) for k in FIELDS}


def report_status(
    engine: Engine,
    *,
    pair: str | None,
    country: str | None,
    as_of: dt.date | None,
    fmt: str,
    out: TextIO,
) -> int:
    pair = normalize_pair(pair) if pair else None
    country = normalize_country(country) if country else None
    with engine.connect() as conn:
        states = [_row(r) for r in queries.status(conn, pair=pair, country=country, as_of=as_of)]
        signals = [_row(r) for r in queries.signals(conn, pair=pair, country=country, as_of=as_of)]
    head = {"as_of": as_of.isoformat() if as_of else None, "pair": pair, "country": country}
    return _emit(fmt, out, head, states, signals, until="", signals_title="open signals")


def report_history(engine: Engine, *, pair: str, fmt: str, out: TextIO) -> int:
    pair = normalize_pair(pair)
    with engine.connect() as conn:
        periods = [_row(r) for r in queries.history(conn, pair=pair)]
        signals = [_row(r) for r in queries.signal_history(conn, pair=pair)]
    head = {"pair": pair}
    return _emit(fmt, out, head, periods, signals, until="history", signals_title="signals")


def _emit(
    fmt: str,
    out: TextIO,
    head: dict[str, Any],
    states: list[dict[str, Any]],
    signals: list[dict[str, Any]],
    *,
    until: str,
    signals_title: str,
) -> int:
    if fmt == "json":
        doc = {**head, "status": states, "signals": signals}
        out.write(json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(states + signals)
    elif fmt == "table":
        _table(out, states, with_until=until)
        if signals:
            out.write(f"\n{signals_title}:\n")
            _table(out, signals, with_until="signal")
        if not states and not signals:
            out.write("no state recorded\n")
    else:
        raise DyadwatchError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return 0


def _who(row: dict[str, Any]) -> str:
    ordered = VOCABULARY.dimensions[row["dimension"]].ordered
    arrow = "→" if ordered or row["kind"] == "signal" else "·"
    return f"{row['actor_name']} {arrow} {row['target_name']}"


def _table(out: TextIO, rows: list[dict[str, Any]], *, with_until: str) -> None:
    def cells(r: dict[str, Any]) -> list[str]:
        line = [
            f"{country_name(r['pair'][:2])} – {country_name(r['pair'][3:])}",
            r["dimension"],
            _who(r),
            r["state"] if r["kind"] == "state" else f"{r['state']} ({r['outcome']})",
            r["since_text"],
        ]
        if with_until == "history":
            line.append(str(r["until"] or "now"))
        elif with_until == "signal":
            line.append(str(r["expires"]))
        # stories/articles/outlets: copies of one story in several papers are one story.
        sources = f"{r['stories']}/{r['articles']}" + (f"/{r['outlets']}" if r["outlets"] else "")
        evidence = r["evidence"] if len(r["evidence"]) <= 80 else r["evidence"][:77] + "..."
        return [*line, sources, f"{r['confidence']:.2f}", evidence]

    header = ["pair", "dimension", "who", "state", "since"]
    header += {"history": ["until"], "signal": ["expires"]}.get(with_until, [])
    header += ["stories/articles/outlets", "conf", "latest evidence"]
    table = [header] + [cells(r) for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(header) - 1)]
    for line in table:
        padded = [c.ljust(w) for c, w in zip(line, widths, strict=False)]
        out.write("  ".join([*padded, line[-1]]).rstrip() + "\n")
