"""Timeline geometry: bands cover the axis, the starting state fills the gaps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from streams.dashboard.timeline import axis_for, tracks

TODAY = dt.date(2026, 12, 2)


def period(
    state: str, since: dt.date, until: dt.date | None = None, **extra: Any
) -> dict[str, Any]:
    row = {
        "dimension": "diplomatic",
        "actor": "US",
        "target": "VE",
        "state": state,
        "since": since,
        "until": until,
        "since_precision": "year",
        "since_basis": "stated",
        "articles": 1,
        "confidence": 0.9,
    }
    return {**row, **extra}


def test_axis_starts_a_year_before_the_first_date_and_ends_today() -> None:
    axis = axis_for([dt.date(2019, 1, 1)], TODAY)
    assert axis.start == dt.date(2018, 1, 1) and axis.end == TODAY
    assert axis.at(axis.start) == 0 and axis.at(TODAY) == 100
    assert [label for _, label in axis.ticks][:2] == ["2018", "2019"]
    assert all(0 <= x <= 100 for x, _ in axis.ticks)


def test_many_years_get_at_most_twelve_ticks() -> None:
    axis = axis_for([dt.date(1950, 5, 1)], TODAY)
    assert 2 <= len(axis.ticks) <= 12


def test_bands_cover_the_axis_with_the_starting_state_before_the_first_period() -> None:
    periods = [period("severed", dt.date(2019, 1, 1))]
    axis = axis_for([dt.date(2019, 1, 1)], TODAY)
    diplomatic = tracks("US-VE", periods, [], axis)[0]
    assert [(b.state, b.implicit) for b in diplomatic.bands] == [
        ("normal", True),
        ("severed", False),
    ]
    assert diplomatic.bands[1].label == "severed 2019"
    assert abs(sum(b.width for b in diplomatic.bands) - 100) < 0.01
    assert diplomatic.periods[0]["basis_text"] == "date stated in the text"


def test_one_track_per_direction_of_sanctions_and_signals_as_marks() -> None:
    periods = [
        period(
            "active",
            dt.date(2022, 3, 6),
            dimension="sanctions",
            since_precision="day",
            since_basis="published",
        )
    ]
    signal = {
        "dimension": "oil",
        "actor": "VE",
        "target": "US",
        "state": "oil.resumed",
        "since": dt.date(2022, 3, 6),
        "since_precision": "day",
        "outcome": "open",
    }
    axis = axis_for([dt.date(2022, 3, 6)], TODAY)
    found = {(t.dimension, t.direction): t for t in tracks("US-VE", periods, [signal], axis)}
    assert list(found) == [
        ("diplomatic", ""),
        ("sanctions", "US>VE"),
        ("sanctions", "VE>US"),
        ("oil", ""),
    ]
    assert found[("sanctions", "US>VE")].bands[-1].label == "active by 2022-03-06"
    assert [b.state for b in found[("sanctions", "VE>US")].bands] == ["none"]
    assert found[("oil", "")].marks[0].label == "oil.resumed considered 2022-03-06 (open)"
