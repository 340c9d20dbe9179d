"""Solar Hijri dates against conversions published by Iranian and international sources."""

from __future__ import annotations

import datetime as dt

import pytest

from streams.detect.calendars import (
    gregorian_to_solar_hijri,
    solar_hijri_month,
    solar_hijri_to_gregorian,
    solar_hijri_year,
)


@pytest.mark.parametrize(
    ("solar", "gregorian"),
    [
        ((1357, 11, 22), dt.date(1979, 2, 11)),  # the revolution's anniversary
        ((1399, 1, 1), dt.date(2020, 3, 20)),  # Nowruz 1399
        ((1399, 12, 30), dt.date(2021, 3, 20)),  # 1399 is a leap year
        ((1401, 12, 15), dt.date(2023, 3, 6)),
        ((1401, 12, 19), dt.date(2023, 3, 10)),  # the Saudi-Iranian deal in Beijing
        ((1402, 1, 1), dt.date(2023, 3, 21)),
        ((1403, 1, 1), dt.date(2024, 3, 20)),
        ((1403, 4, 25), dt.date(2024, 7, 15)),
        ((1403, 12, 30), dt.date(2025, 3, 20)),  # 1403 is a leap year
        ((1404, 1, 1), dt.date(2025, 3, 21)),
    ],
)
def test_known_conversions(solar: tuple[int, int, int], gregorian: dt.date) -> None:
    assert solar_hijri_to_gregorian(*solar) == gregorian
    assert gregorian_to_solar_hijri(gregorian) == solar


def test_every_day_round_trips() -> None:
    day = dt.date(1990, 1, 1)
    while day < dt.date(2040, 1, 1):
        assert solar_hijri_to_gregorian(*gregorian_to_solar_hijri(day)) == day
        day += dt.timedelta(days=1)


def test_a_month_and_a_year_keep_their_precision() -> None:
    # Esfand 1401 runs from 20 February to 20 March 2023: most of it is March.
    assert solar_hijri_month(1401, 12) == (2023, 3)
    assert solar_hijri_month(1403, 4) == (2024, 7)  # Tir: 21 June to 21 July
    assert solar_hijri_year(1402) == 2023  # 21 March 2023 to 19 March 2024


@pytest.mark.parametrize("date", [(1402, 12, 30), (1402, 13, 1), (1402, 7, 31), (1402, 1, 0)])
def test_impossible_dates_are_refused(date: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError):
        solar_hijri_to_gregorian(*date)
