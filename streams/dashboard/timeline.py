"""A dyad's timeline as geometry: bands of periods and marks of signals on one time axis.

Positions are percentages of the axis, so the page draws them in SVG at any width without
a script. Stretches of time with no period hold the track's starting state, drawn as such.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from models.vocabulary import VOCABULARY
from streams.dashboard.display import baseline, basis_text, shown_date, since, tone
from streams.reporting.names import country_name

MAX_TICKS = 12


@dataclass(frozen=True)
class Band:
    x: float
    width: float
    state: str
    tone: str
    label: str
    implicit: bool  # the starting state, not a stored period


@dataclass(frozen=True)
class Mark:
    x: float
    label: str
    outcome: str


@dataclass(frozen=True)
class Track:
    dimension: str
    direction: str  # "US>VE" on the sanctions track, empty on the unordered ones
    title: str
    bands: tuple[Band, ...]
    marks: tuple[Mark, ...]
    periods: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Axis:
    start: dt.date
    end: dt.date
    ticks: tuple[tuple[float, str], ...]

    def at(self, day: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        return round(min(max((day - self.start).days / span, 0.0), 1.0) * 100, 3)


def axis_for(days: Iterable[dt.date], today: dt.date) -> Axis:
    known = [d for d in days if d is not None]
    first = min([*known, today])
    last = max([*known, today])
    # A year before the first date, so the starting state shows before the first change.
    start = dt.date(first.year - 1, 1, 1)
    end = dt.date(last.year + 1, 1, 1) if last > today else today
    years = list(range(start.year, end.year + 1))
    step = max(1, -(-len(years) // MAX_TICKS))
    shown = Axis(start, end, ())
    ticks = tuple(
        (shown.at(dt.date(y, 1, 1)), str(y))
        for y in years[::step]
        if start <= dt.date(y, 1, 1) <= end
    )
    return Axis(start, end, ticks)


def _track_title(dimension: str, direction: str) -> str:
    if direction:
        actor, _, target = direction.partition(">")
        return f"{dimension}, {country_name(actor)} → {country_name(target)}"
    return dimension


def _bands(axis: Axis, dimension: str, periods: Sequence[dict[str, Any]]) -> tuple[Band, ...]:
    bands: list[Band] = []
    cursor = axis.start
    start_state = baseline(dimension)
    for p in sorted(periods, key=lambda p: p["since"]):
        begin, until = p["since"], p["until"] or axis.end
        if begin > cursor:
            x, x2 = axis.at(cursor), axis.at(begin)
            bands.append(Band(x, x2 - x, start_state, tone(start_state), start_state, True))
        x, x2 = axis.at(begin), axis.at(until)
        label = f"{p['state']} {since(p)}"
        bands.append(Band(x, max(x2 - x, 0.4), p["state"], tone(p["state"]), label, False))
        cursor = max(cursor, until)
    if cursor < axis.end:
        x = axis.at(cursor)
        bands.append(Band(x, 100 - x, start_state, tone(start_state), start_state, True))
    return tuple(bands)


def _marks(axis: Axis, signals: Sequence[dict[str, Any]]) -> tuple[Mark, ...]:
    return tuple(
        Mark(
            axis.at(s["since"]),
            f"{s['state']} considered {shown_date(s['since'], s['since_precision'])}"
            f" ({s['outcome']})",
            s["outcome"] or "open",
        )
        for s in signals
    )


def tracks(
    pair: str,
    periods: Sequence[dict[str, Any]],
    signals: Sequence[dict[str, Any]],
    axis: Axis,
) -> list[Track]:
    """One track for each unordered dimension and one per direction of an ordered one."""
    a, _, b = pair.partition("-")
    keys = [
        (d.name, direction)
        for d in VOCABULARY.dimensions.values()
        for direction in ((f"{a}>{b}", f"{b}>{a}") if d.ordered else ("",))
    ]
    out = []
    for dimension, direction in keys:
        mine = [
            p
            for p in periods
            if p["dimension"] == dimension
            and (not direction or f"{p['actor']}>{p['target']}" == direction)
        ]
        marks = [
            s
            for s in signals
            if s["dimension"] == dimension
            and (not direction or f"{s['actor']}>{s['target']}" == direction)
        ]
        shown = tuple(
            {**p, "since_text": since(p), "basis_text": basis_text(p["since_basis"])} for p in mine
        )
        out.append(
            Track(
                dimension,
                direction,
                _track_title(dimension, direction),
                _bands(axis, dimension, mine),
                _marks(axis, marks),
                shown,
            )
        )
    return out
