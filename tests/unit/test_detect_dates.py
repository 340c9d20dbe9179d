"""Dates of events: explicit ones keep their precision, relative ones need publication."""

from __future__ import annotations

import datetime as dt

import pytest

from models.events import Article
from streams.detect.arabic import fold_arabic, fold_latin
from streams.detect.dates import dateline_day, find_date
from streams.detect.detector import detect

PUBLISHED = dt.date(2022, 3, 10)  # a Thursday


def _ar(text: str, published: dt.date | None = PUBLISHED) -> str | None:
    folded = fold_arabic(text).folded
    return find_date(folded, 0, len(folded), 0, "ar", published)


def _en(text: str, published: dt.date | None = PUBLISHED) -> str | None:
    return find_date(text, 0, len(text), 0, "en", published)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قطعت العلاقات في عام 2019", "2019"),
        ("في عام ٢٠١٨ أعادت فرض العقوبات", "2018"),
        ("في 28 يناير 2019", "2019-01-28"),
        ("في كانون الثاني/يناير 2019", "2019-01"),
        ("في 20 تموز 2015", "2015-07-20"),
        ("في أغسطس الماضي", "2021-08"),
        ("الخميس", "2022-03-10"),
        ("يوم الاثنين", "2022-03-07"),
        ("أمس", "2022-03-09"),
        ("الشهر الماضي", "2022-02"),
        ("العام الماضي", "2021"),
        ("بلا تاريخ", None),
    ],
)
def test_arabic_dates(text: str, expected: str | None) -> None:
    assert _ar(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 2019", "2019"),
        ("on 28 January 2019", "2019-01-28"),
        ("on January 28, 2019", "2019-01-28"),
        ("in March 2023", "2023-03"),
        ("In mid-2017, Bahrain severed ties", "2017"),
        ("by mid-June the embassy had closed", "2021-06"),
        ("in May", "2021-05"),
        ("in February", "2022-02"),
        ("on Thursday", "2022-03-10"),
        ("on Monday", "2022-03-07"),
        ("yesterday", "2022-03-09"),
        ("last month", "2022-02"),
        ("last year", "2021"),
        ("it may impose 25% tariffs", None),
    ],
)
def test_english_dates(text: str, expected: str | None) -> None:
    assert _en(text) == expected


def test_relative_words_need_a_publication_date() -> None:
    assert _ar("الخميس", None) is None
    assert _en("last month", None) is None
    assert _en("in 2019", None) == "2019"


def test_the_date_nearest_the_trigger_wins() -> None:
    text = "Sanctions followed in 2019, five years after talks began in 2014"
    assert find_date(text, 0, len(text), text.index("followed"), "en", None) == "2019"


def _fa(text: str, published: dt.date | None = PUBLISHED) -> str | None:
    folded = fold_arabic(text).folded
    return find_date(folded, 0, len(folded), 0, "fa", published)


def _ru(text: str, published: dt.date | None = PUBLISHED) -> str | None:
    folded = fold_latin(text).folded
    return find_date(folded, 0, len(folded), 0, "ru", published)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("روز ۱۵ اسفند ۱۴۰۱ اعلام شد", "2023-03-06"),  # solar day → Gregorian day
        ("۱۹ اسفند ماه ۱۴۰۱", "2023-03-10"),
        ("در سال ۱۴۰۲", "2023"),  # a solar year → the Gregorian year holding most of it
        ("در اسفند ۱۴۰۱", "2023-03"),  # a solar month → the Gregorian month holding most
        ("۲۵ تیرماه", "2024-07-15"),  # no year: the latest Tir before publication
        ("در سال ۲۰۱۸ میلادی", "2018"),
        ("در جولای ۲۰۱۵", "2015-07"),
        ("۲۶ آگوست", "2021-08-26"),
        ("روز سه‌شنبه", "2022-03-08"),
        ("روز سهشنبه", "2022-03-08"),  # the joiner dropped
        ("دیروز", "2022-03-09"),
        ("سال گذشته", "2021"),
    ],
)
def test_persian_dates(text: str, expected: str | None) -> None:
    published = dt.date(2024, 7, 20) if "تیرماه" in text else PUBLISHED
    assert _fa(text, published) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8 марта 2022 года", "2022-03-08"),
        ("в ноябре 2025 года", "2025-11"),
        ("В сентябре 2008 года", "2008-09"),
        ("в 2019 году", "2019"),
        ("16 марта", "2022-03-16"),
        ("в мае", "2021-05"),
        ("в четверг", "2022-03-10"),
        ("во вторник", "2022-03-08"),
        ("вчера", "2022-03-09"),
        ("в прошлом году", "2021"),
    ],
)
def test_russian_dates(text: str, expected: str | None) -> None:
    assert _ru(text) == expected


def test_a_dateline_gives_the_day_relative_words_refer_to() -> None:
    headed = fold_arabic("الخرطوم 4 يناير 2016 / أعلن السودان اليوم قطع العلاقات.").folded
    assert dateline_day(headed, "ar") == dt.date(2016, 1, 4)
    assert dateline_day("SEOUL, June 26, 2012 - South Korea said on Tuesday", "en") == dt.date(
        2012, 6, 26
    )
    # A month or a year is no day; a date further in is the event's, not the dateline's.
    assert dateline_day("In June 2017 Saudi Arabia cut ties with Qatar.", "en") is None
    later = (
        "Saudi Arabia and its allies said in a statement read on state television"
        " that they cut ties on 5 June 2017."
    )
    assert dateline_day(later, "en") is None


def test_an_undated_passage_reads_today_against_its_dateline() -> None:
    text = (
        "الخرطوم 4 يناير 2016 / أمهل السودان البعثة الإيرانية أسبوعين لمغادرة البلاد. "
        "وأعلن السودان رسميا اليوم (الاثنين) قطع علاقاته الدبلوماسية مع إيران."
    )
    events = detect(Article(id="d", text=text, lang="ar"))
    severed = [e for e in events if e.type == "relations.severed"]
    assert [(e.actor, e.target, e.date) for e in severed] == [("SD", "IR", "2016-01-04")]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("ar", "وافق الاتحاد اليوم الجمعة 2-9-2011، على حظر واردات النفط", "2011-09-02"),
        ("ar", "تاريخ النشر : 2024/12/23", "2024-12-23"),
        ("ar", "في 31-02-2019", None),  # no such day
        ("ar", "انتهت المباراة 2-1", None),  # a score, no year
        ("en", "on 2024-05-02", "2024-05-02"),
        ("en", "on 2-9-2011", None),  # English news writes the month first as often as not
    ],
)
def test_numeric_dates_follow_the_language_order(
    lang: str, text: str, expected: str | None
) -> None:
    folded = fold_arabic(text).folded if lang == "ar" else fold_latin(text).folded
    assert find_date(folded, 0, len(folded), 0, lang, None) == expected
