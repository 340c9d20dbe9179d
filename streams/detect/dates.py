"""When an event happened, as far as its sentence says: a partial ISO date or None.

Explicit dates keep their precision ("2019", "2019-01", "2019-01-28"). Relative words
("yesterday", "Thursday", "الشهر الماضي") are resolved against the publication date and
give nothing without one. Month names come from the lexicon, so both Arabic month
systems ("يناير" and "كانون الثاني") are data, not code. A lexicon may declare a second
calendar (`dates.calendar`) with its month names: its dates ("۱۵ اسفند ۱۴۰۱") and bare
years ("سال ۱۴۰۲") are converted to Gregorian ones of the same precision.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from streams.detect.arabic import fold_latin, fold_word
from streams.detect.calendars import (
    SOLAR_HIJRI_YEARS,
    gregorian_to_solar_hijri,
    solar_hijri_month,
    solar_hijri_to_gregorian,
    solar_hijri_year,
)
from streams.detect.lexicon import Lexicon, load_lexicon

_MIN_YEAR, _MAX_YEAR = 1900, 2100
_GREGORIAN_YEAR = r"(?:19|20)\d\d"
# Year numbers of a second calendar, as a regex and as the range that makes one its year.
_CALENDAR_YEARS: dict[str, tuple[str, tuple[int, int]]] = {
    "solar_hijri": (r"1[34]\d\d", SOLAR_HIJRI_YEARS),
}
_SECOND = 12  # month numbers above this are months of the second calendar
_DATELINE = 60  # characters at an article's head where its dateline stands


@dataclass(frozen=True)
class DateRules:
    pattern: re.Pattern[str]
    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, dict[str, int]]
    fold_case: bool
    calendar: str = "gregorian"


def _alternation(forms: list[str]) -> str:
    ordered = sorted(set(forms), key=lambda form: -len(form))
    return "|".join(r"\s+".join(re.escape(word) for word in form.split()) for form in ordered)


def _key(text: str, fold_case: bool) -> str:
    text = " ".join(text.split())
    return text.casefold() if fold_case else text


@cache
def date_rules(lang: str) -> DateRules:
    lexicon = load_lexicon(lang)
    return _compile(lexicon)


def _compile(lexicon: Lexicon) -> DateRules:
    fold_case = lexicon.script != "arabic"

    def norm(word: str) -> str:
        return _key(fold_latin(word).folded if fold_case else fold_word(word), fold_case)

    calendar = lexicon.dates.calendar
    months = {
        norm(form): index + 1 for index, forms in enumerate(lexicon.dates.months) for form in forms
    }
    for index, forms in enumerate(lexicon.dates.calendar_months):
        for form in forms:
            months.setdefault(norm(form), _SECOND + index + 1)
    weekdays = {
        norm(form): index for index, forms in enumerate(lexicon.dates.weekdays) for form in forms
    }
    relative: dict[str, dict[str, int]] = {
        norm(word): {str(unit): value for unit, value in offset.items()}
        for word, offset in lexicon.dates.relative.items()
    }
    years = [norm(word) for word in lexicon.dates.year_words]
    month = f"(?:{_alternation(list(months))})"
    # "كانون الثاني/يناير" and "January (Jan.)" name one month twice; the first one counts.

    def month_pair(name: str) -> str:
        return rf"(?P<{name}>{month})(?:\s*[/(]\s*{month}\s*\)?)?"

    clitics = f"(?:{lexicon.clitics})" if lexicon.clitics else ""
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?"
    number = _GREGORIAN_YEAR
    if calendar in _CALENDAR_YEARS:
        number = f"(?:{number}|{_CALENDAR_YEARS[calendar][0]})"
    year = rf"(?P<year>{number})"
    alternatives = [
        rf"{day}\s+(?:{clitics}\s*)?{month_pair('month')}(?:\s*,?\s*{year})?(?!\d)",
        rf"{month_pair('month2')}\s+(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?(?:\s*,\s*(?P<year2>{number}))?(?!\d)",
        rf"{month_pair('month3')}\s*,?\s*(?:{_alternation(years)})?\s*(?P<year3>{number})(?!\d)",
        # A year word written with its hyphen ("mid-2017") takes the number without a space.
        rf"(?:{_alternation(years)})(?:(?<=-)|\s+)(?P<year4>{number})(?!\d)",
        # "في مايو", "in May": a bare month after a preposition is the latest such month.
        rf"(?:{_alternation(years)})(?:(?<=-)|\s+)(?>{month_pair('month4')})(?!\s*,?\s*\d)",
        rf"(?P<numeric_year>{_GREGORIAN_YEAR})(?P<sep>[-/.])(?P<numeric_month>0?[1-9]|1[0-2])"
        rf"(?P=sep)(?P<numeric_day>[0-3]?\d)(?!\d)",
        rf"(?P<weekday>{_alternation(list(weekdays))})",
        rf"(?P<relative>{_alternation(list(relative))})",
    ]
    if lexicon.dates.numeric_day_first:
        alternatives.append(
            rf"(?P<day_first>[0-3]?\d)(?P<sep2>[-/.])(?P<month_second>0?[1-9]|1[0-2])"
            rf"(?P=sep2)(?P<year_last>{_GREGORIAN_YEAR})(?!\d)"
        )
    body = "|".join(f"(?:{alt})" for alt in alternatives)
    flags = re.IGNORECASE if fold_case else 0
    pattern = re.compile(rf"(?<!\w){clitics}(?:{body})(?!\w)", flags)
    return DateRules(pattern, months, weekdays, relative, fold_case, calendar)


def find_date(
    text: str, start: int, end: int, near: int, lang: str, published: dt.date | None
) -> str | None:
    """The date expression in text[start:end] nearest to position `near`, resolved."""
    rules = date_rules(lang)
    best: tuple[int, str] | None = None
    for match in rules.pattern.finditer(text, start, end):
        value = _resolve(match, rules, published)
        if value is None:
            continue
        distance = abs(match.start() - near)
        if best is None or distance < best[0]:
            best = (distance, value)
    return best[1] if best else None


def dateline_day(text: str, lang: str) -> dt.date | None:
    """The day a dateline at the head of an article gives ("الخرطوم 4 يناير 2016 /"):
    what relative words refer to when the source gave no publication day."""
    rules = date_rules(lang)
    for match in rules.pattern.finditer(text, 0, min(len(text), _DATELINE)):
        value = _resolve(match, rules, None)
        if value is not None and len(value) == len("2016-01-04"):
            return dt.date.fromisoformat(value)
    return None


def _resolve(match: re.Match[str], rules: DateRules, published: dt.date | None) -> str | None:
    groups = match.groupdict()
    numeric = (groups["numeric_year"], groups["numeric_month"], groups["numeric_day"])
    if numeric[0] is None:
        numeric = (groups.get("year_last"), groups.get("month_second"), groups.get("day_first"))
    if numeric[0] is not None:
        try:
            return dt.date(*(int(part) for part in numeric)).isoformat()
        except ValueError:
            return None
    month_text = groups["month"] or groups["month2"] or groups["month3"] or groups["month4"]
    if month_text is not None:
        month = rules.months.get(_key(month_text, rules.fold_case))
        if month is None:
            return None
        year_text = groups["year"] or groups["year2"] or groups["year3"]
        day_text = groups["day"] or groups["day2"]
        if month > _SECOND:
            return _second_calendar(rules, month - _SECOND, year_text, day_text, published)
        year = int(year_text) if year_text else _implied_year(month, published)
        if year is None or not _MIN_YEAR <= year <= _MAX_YEAR:
            return None
        if day_text is None:
            return f"{year:04d}-{month:02d}"
        try:
            return dt.date(year, month, int(day_text)).isoformat()
        except ValueError:
            return f"{year:04d}-{month:02d}"
    if groups["year4"] is not None:
        year = int(groups["year4"])
        if _in_calendar(rules, year):
            return str(solar_hijri_year(year))
        return str(year) if _MIN_YEAR <= year <= _MAX_YEAR else None
    if published is None:
        return None
    if groups["weekday"] is not None:
        weekday = rules.weekdays[_key(groups["weekday"], rules.fold_case)]
        back = (published.weekday() - weekday) % 7
        return (published - dt.timedelta(days=back)).isoformat()
    if groups["relative"] is not None:
        return _shift(published, rules.relative[_key(groups["relative"], rules.fold_case)])
    return None


def _in_calendar(rules: DateRules, year: int) -> bool:
    """A year number of the lexicon's second calendar ("۱۴۰۲" where it is solar Hijri)."""
    if rules.calendar not in _CALENDAR_YEARS:
        return False
    low, high = _CALENDAR_YEARS[rules.calendar][1]
    return low <= year <= high


def _second_calendar(
    rules: DateRules,
    month: int,
    year_text: str | None,
    day_text: str | None,
    published: dt.date | None,
) -> str | None:
    """A date of the second calendar as a Gregorian date of the same precision."""
    if year_text is not None:
        year = int(year_text)
        if not _in_calendar(rules, year):
            return None  # a Gregorian year after a solar month names no one date
    elif published is not None:
        now_year, now_month, _ = gregorian_to_solar_hijri(published)
        year = now_year if month <= now_month else now_year - 1
    else:
        return None
    try:
        if day_text is not None:
            return solar_hijri_to_gregorian(year, month, int(day_text)).isoformat()
        gregorian_year, gregorian_month = solar_hijri_month(year, month)
    except ValueError:
        return None
    return f"{gregorian_year:04d}-{gregorian_month:02d}"


def _implied_year(month: int, published: dt.date | None) -> int | None:
    """A month named without a year is the latest one not after publication."""
    if published is None:
        return None
    return published.year if month <= published.month else published.year - 1


def _shift(published: dt.date, offset: dict[str, int]) -> str:
    if "days" in offset:
        return (published + dt.timedelta(days=offset["days"])).isoformat()
    if "months" in offset:
        index = published.year * 12 + published.month - 1 + offset["months"]
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    return f"{published.year + offset.get('years', 0):04d}"
