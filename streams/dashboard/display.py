"""How states, dates, names and languages are shown: pure functions the templates call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from models.vocabulary import VOCABULARY
from streams.reporting.dyads import since_text
from streams.reporting.names import country_name

# Scripts written right to left, by the language codes the detector gives.
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps"})

# The colour family of each state: calm where things are as they always were or came back,
# warm where they worsened, hot where they broke.
_TONE = {
    "normal": "calm",
    "none": "calm",
    "restored": "back",
    "lifted": "back",
    "resumed": "back",
    "downgraded": "strained",
    "reduced": "strained",
    "eased": "strained",
    "severed": "broken",
    "halted": "broken",
    "active": "broken",
}


def direction(lang: str | None) -> str:
    return "rtl" if (lang or "").split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def tone(state: str) -> str:
    """CSS class suffix of a state; unknown states (signals) get their own."""
    return _TONE.get(state, "signal")


def baseline(dimension: str) -> str:
    return VOCABULARY.initial(dimension)


def is_baseline(dimension: str, state: str) -> bool:
    known = VOCABULARY.dimensions.get(dimension)
    return known is not None and known.initial == state


def ordered(dimension: str) -> bool:
    """Whether the dimension's rows read one way (actor → target), as sanctions do."""
    known = VOCABULARY.dimensions.get(dimension)
    return known is not None and known.ordered


def name(code: str, lang: str = "en") -> str:
    return country_name(code, lang)


def since(row: dict[str, Any]) -> str:
    """ "2019" for a year the text states, "by 2022-03-06" for a publication date."""
    day = row.get("since") or row.get("valid_from")
    return since_text(day, row.get("since_precision"), row.get("since_basis"))


def basis_text(basis: str | None) -> str:
    return {
        "stated": "date stated in the text",
        "published": "article's publication date",
        "recorded": "day we recorded it",
    }.get(basis or "", "")


def precision_text(precision: str | None) -> str:
    return {"year": "year", "month": "month", "day": "day"}.get(precision or "", "")


def shown_date(day: dt.date | None, precision: str | None = None) -> str:
    if day is None:
        return ""
    iso = day.isoformat()
    return {"year": iso[:4], "month": iso[:7]}.get(precision or "day", iso)


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def utc_minute(moment: dt.datetime) -> str:
    """A stored moment to the minute in UTC, whatever time zone the database session uses."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
