"""The pages that look: the overview, a dyad, a country, the pipeline's health."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, RedirectResponse

from models.dyads import DyadError, parse_dyad
from models.state import DIMENSIONS
from streams.dashboard import reads
from streams.dashboard.auth import Refused, ViewerDep
from streams.dashboard.changes import feed_item
from streams.dashboard.display import direction, is_baseline, ordered
from streams.dashboard.highlight import segments
from streams.dashboard.matrix import matrix
from streams.dashboard.render import html
from streams.dashboard.timeline import axis_for, tracks
from streams.deadletter_rows import letter_counts
from streams.feeds import repository as feed_repository
from streams.reporting import queries
from streams.reporting.names import party_names
from streams.web import metrics
from streams.web.deps import EngineDep
from streams.web.reads import encode_cursor

router = APIRouter(include_in_schema=False)

FEED_SIZE = 20
EVIDENCE_LIMIT = 100


def _as_of(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Refused(400, "The as-of date must be a day like 2020-06-01.") from None


@router.get("/", response_class=HTMLResponse)
def overview(
    who: ViewerDep,
    engine: EngineDep,
    dimension: Annotated[str, Query(max_length=20)] = "diplomatic",
    as_of: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    if dimension not in DIMENSIONS:
        raise Refused(400, f"The dimension is one of {', '.join(DIMENSIONS)}.")
    day = _as_of(as_of)
    with engine.connect() as conn:
        rows = reads.non_baseline(conn, dimension, day)
        signals = reads.open_signal_counts(conn, day)
        changes = reads.latest_changes(conn, FEED_SIZE)
    cursor = encode_cursor(changes[0]["recorded_at"], changes[0]["change_id"]) if changes else ""
    return html(
        "overview.html",
        who=who,
        page="overview",
        dimension=dimension,
        dimensions=DIMENSIONS,
        as_of=day,
        rows=rows,
        grid=matrix(rows, directed=ordered(dimension)),
        signals=signals,
        feed=[feed_item(c) for c in changes],
        cursor=cursor,
    )


def _evidence_rows(pair: str, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    codes = pair.split("-")
    out = []
    for row in found:
        lang = row["lang"] or ""
        url = row["url"] or ""
        out.append(
            {
                **row,
                # Only web links become links: a javascript: or data: URL stays text.
                "url": url if url.lower().startswith(("https://", "http://")) else None,
                "dir": direction(lang),
                "segments": segments(row["evidence_text"], party_names(lang, codes)),
            }
        )
    return out


@router.get("/dyads/{dyad}", response_class=HTMLResponse, response_model=None)
def dyad(dyad: str, who: ViewerDep, engine: EngineDep) -> HTMLResponse | RedirectResponse:
    try:
        pair = parse_dyad(dyad[:12], loose=True)
    except DyadError:
        raise Refused(404, "A pair is two country codes joined by a dash, like US-VE.") from None
    if pair != dyad:  # VE-US and us-ve are the same pair: one address for it
        return RedirectResponse(f"/dyads/{pair}", status_code=308)
    with engine.connect() as conn:
        periods = queries.history(conn, pair=pair)
        signals = queries.signal_history(conn, pair=pair)
        current = queries.status(conn, pair=pair, country=None, as_of=None)
        found = reads.evidence(conn, pair, EVIDENCE_LIMIT)
    axis = axis_for([p["since"] for p in periods] + [s["since"] for s in signals], dt.date.today())
    return html(
        "dyad.html",
        who=who,
        page="dyad",
        pair=pair,
        codes=pair.split("-"),
        axis=axis,
        tracks=tracks(pair, periods, signals, axis),
        current=[r for r in current if not is_baseline(r["dimension"], r["state"])],
        evidence=_evidence_rows(pair, found),
    )


@router.get("/countries")
def find_country(
    who: ViewerDep, code: Annotated[str, Query(max_length=2)] = ""
) -> RedirectResponse:
    return RedirectResponse(f"/countries/{urllib.parse.quote(code.upper())}", status_code=303)


@router.get("/countries/{code}", response_class=HTMLResponse)
def country(code: str, who: ViewerDep, engine: EngineDep) -> HTMLResponse:
    code = code.upper()
    if len(code) != 2 or not code.isalpha() or not code.isascii():
        raise Refused(404, "A country is a two-letter code, like US.")
    with engine.connect() as conn:
        rows = queries.status(conn, pair=None, country=code, as_of=None)
        signals = queries.signals(conn, pair=None, country=code, as_of=None)
    # Measures one side takes against the other read two ways: by it, and against it.
    sanctions = [r for r in rows if ordered(r["dimension"])]
    return html(
        "country.html",
        who=who,
        page="country",
        code=code,
        rows=[r for r in rows if not ordered(r["dimension"])],
        sanctions_out=[r for r in sanctions if r["actor"] == code],
        sanctions_in=[r for r in sanctions if r["target"] == code],
        signals=signals,
    )


@router.get("/health", response_class=HTMLResponse)
def health(who: ViewerDep, engine: EngineDep) -> HTMLResponse:
    with engine.connect() as conn:
        counts = metrics.counts(conn)
        letters = letter_counts(conn)
        feeds = Counter(feed.state for feed in feed_repository.list_all(conn))
    return html("health.html", who=who, page="health", counts=counts, letters=letters, feeds=feeds)
