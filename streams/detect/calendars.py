"""Dates of other calendars, converted to the Gregorian calendar the events carry.

The solar Hijri calendar (Iran, Afghanistan) starts its year at the March equinox; its
first six months have 31 days, the next five 30 and the last 29 or 30. Leap years follow
the astronomical rule, reproduced here by the break-year table of the widely used
Borkowski/jalaali algorithm, exact for the years 1 to 3177.
"""

from __future__ import annotations

import datetime as dt

from streams.errors import InvalidInput

# Years at which the 33-year leap cycle is re-anchored (jalaali-js).
_BREAKS = (
    -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210,
    1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178,
)  # fmt: skip
_OFFSET = 621  # Gregorian year in which a solar Hijri year begins, minus that year
SOLAR_HIJRI_YEARS = (1300, 1499)  # years news may name: bare numbers in this range


def _div(a: int, b: int) -> int:
    """Integer division truncating toward zero, as the published algorithm uses."""
    return int(a / b)


def _mod(a: int, b: int) -> int:
    return a - _div(a, b) * b


def _nowruz_day(year: int) -> int:
    """Day of March on which solar Hijri `year` begins."""
    if not _BREAKS[0] <= year < _BREAKS[-1]:
        raise InvalidInput(f"solar Hijri year {year} is out of range")
    leap_j = -14
    previous = _BREAKS[0]
    jump = 0
    for brk in _BREAKS[1:]:
        jump = brk - previous
        if year < brk:
            break
        leap_j += _div(jump, 33) * 8 + _div(_mod(jump, 33), 4)
        previous = brk
    n = year - previous
    leap_j += _div(n, 33) * 8 + _div(_mod(n, 33) + 3, 4)
    if _mod(jump, 33) == 4 and jump - n == 4:
        leap_j += 1
    gregorian = year + _OFFSET
    leap_g = _div(gregorian, 4) - _div((_div(gregorian, 100) + 1) * 3, 4) - 150
    return 20 + leap_j - leap_g


def solar_hijri_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """The Gregorian day of a solar Hijri date (month 1 is Farvardin)."""
    if not 1 <= month <= 12:
        raise InvalidInput(f"month {month} is out of range")
    length = 31 if month <= 6 else 30
    if not 1 <= day <= length:
        raise InvalidInput(f"day {day} is out of range for month {month}")
    first = dt.date(year + _OFFSET, 3, _nowruz_day(year))
    before = (month - 1) * 31 if month <= 6 else 186 + (month - 7) * 30
    result = first + dt.timedelta(days=before + day - 1)
    if month == 12 and day == 30 and result.day != _nowruz_day(year + 1) - 1:
        raise InvalidInput(f"solar Hijri year {year} is not a leap year")
    return result


def solar_hijri_month(year: int, month: int) -> tuple[int, int]:
    """The Gregorian (year, month) holding most of a solar Hijri month: that of its 15th."""
    middle = solar_hijri_to_gregorian(year, month, 15)
    return middle.year, middle.month


def solar_hijri_year(year: int) -> int:
    """The Gregorian year holding most of a solar Hijri year (which starts in March)."""
    return year + _OFFSET


def gregorian_to_solar_hijri(day: dt.date) -> tuple[int, int, int]:
    """The solar Hijri (year, month, day) of a Gregorian day."""
    year = day.year - _OFFSET
    start = solar_hijri_to_gregorian(year, 1, 1)
    if day < start:
        year -= 1
        start = solar_hijri_to_gregorian(year, 1, 1)
    offset = (day - start).days
    if offset < 186:
        return year, offset // 31 + 1, offset % 31 + 1
    offset -= 186
    return year, offset // 30 + 7, offset % 30 + 1
