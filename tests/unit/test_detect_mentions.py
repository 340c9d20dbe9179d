"""State mentions: glued Arabic clitics are kept apart from names, not stemmed away."""

from __future__ import annotations

import datetime as dt

import pytest

from streams.detect.arabic import fold_arabic, fold_latin
from streams.detect.mentions import mention_matcher


def _ar(text: str, on: dt.date | None = None) -> list[tuple[str, str | None, str, bool]]:
    folded = fold_arabic(text).folded
    found = mention_matcher("ar").find(folded, 0, len(folded), on)
    return [(folded[m.start : m.end], m.code, m.clitic, m.conjoined) for m in found]


@pytest.mark.parametrize(
    ("text", "code", "clitic", "conjoined"),
    [
        ("روسيا", "RU", "", False),
        ("وروسيا", "RU", "", True),
        ("لروسيا", "RU", "ل", False),
        ("بالولايات المتحدة", "US", "ب", False),
        ("وللصين", "CN", "ل", True),
        ("والصين", "CN", "", True),
        ("فبإيران", "IR", "ب", True),
        ("الأميركية", "US", "", False),
        ("الإيرانيين", "IR", "", False),
    ],
)
def test_clitics_are_split_from_the_name(
    text: str, code: str, clitic: str, conjoined: bool
) -> None:
    [(_, found_code, found_clitic, found_conjoined)] = _ar(text)
    assert (found_code, found_clitic, found_conjoined) == (code, clitic, conjoined)


def test_a_definite_name_needs_its_article() -> None:
    assert _ar("صين") == []


def test_longest_form_wins() -> None:
    [(form, code, _, _)] = _ar("كوريا الشمالية")
    assert (form, code) == ("كوريا الشماليه", "KP")


def test_leaders_resolve_by_the_article_date() -> None:
    assert _ar("بايدن", dt.date(2022, 3, 1))[0][1] == "US"
    # Out of office, a leader still speaks for his last state ("إدارة ترمب" in 2022).
    assert _ar("ترمب", dt.date(2022, 3, 1))[0][1] == "US"


def test_group_words_name_no_state() -> None:
    assert [code for _, code, _, _ in _ar("الدول الغربية")] == [None]


def test_english_names_are_case_sensitive() -> None:
    text = "US sanctions hit us hard, Washington said."
    found = mention_matcher("en").find(text, 0, len(text), None)
    assert [(text[m.start : m.end], m.code) for m in found] == [("US", "US"), ("Washington", "US")]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("وصل الوفد إلى مالي أمس", ["ML"]),
        ("التقى سفير مالي بالوزير", ["ML"]),
        ("وشمال مالي", ["ML"]),
        ("قدم البنك دعم مالي كبير", []),
        ("الوضع المالي صعب", []),
        ("استقبل الوزير سفير عمان", ["OM"]),
        ("عقد الاجتماع في عمان", []),
        ("وقعت سلطنة عمان الاتفاق", ["OM"]),
    ],
)
def test_a_guarded_name_counts_only_after_its_guard_words(text: str, codes: list[str]) -> None:
    assert [code for _, code, _, _ in _ar(text)] == codes


def _tr(text: str) -> list[tuple[str, str | None, str]]:
    found = mention_matcher("tr").find(text, 0, len(text), None)
    return [(text[m.start : m.end], m.code, m.clitic) for m in found]


@pytest.mark.parametrize(
    ("text", "code", "clitic"),
    [
        ("Rusya'ya", "RU", "'ya"),
        ("ABD'nin", "US", "'nin"),
        ("İran'a", "IR", "'a"),
        ("Türkiye'nin", "TR", "'nin"),
        ("Irak'tan", "IQ", "'tan"),
        ("Suriye ile", "SY", "ile"),
        ("Rusya", "RU", ""),
    ],
)
def test_a_case_ending_after_the_apostrophe_is_kept_as_the_marker(
    text: str, code: str, clitic: str
) -> None:
    [(_, found_code, found_clitic)] = _tr(text)
    assert (found_code, found_clitic) == (code, clitic)


def test_an_unlisted_ending_still_leaves_the_name() -> None:
    # "'yla" is listed, a rare "'ymış" is not: the name is found, with no marker.
    assert _tr("Rusya'ymış") == [("Rusya", "RU", "")]


def test_turkish_capitals_follow_the_dotted_and_dotless_i() -> None:
    # "İRAN" and "MISIR" (Egypt) are the Turkish capitals of "İran" and "Mısır"; Unicode's
    # own mapping would give "IRAN" and "MISIR" for "iran" and "misir".
    assert [code for _, code, _ in _tr("İRAN'A YAPTIRIM")] == ["IR"]
    assert [code for _, code, _ in _tr("MISIR ile TÜRKİYE")] == ["EG", "TR"]
    assert _tr("TÜRKIYE") == []


def test_financial_mali_is_not_the_state() -> None:
    assert _tr("Mali yaptırımlar ağırlaştı.") == []


def test_spanish_head_nouns_are_read_with_the_name() -> None:
    text = "El Gobierno de México suspendió los envíos."
    found = mention_matcher("es").find(text, 0, len(text), None)
    assert [(text[m.start : m.end], m.code) for m in found] == [("Gobierno de México", "MX")]


def _found(lang: str, text: str) -> list[tuple[str, str | None]]:
    folded = (fold_arabic(text) if lang == "fa" else fold_latin(text)).folded
    found = mention_matcher(lang).find(folded, 0, len(folded), dt.date(2024, 1, 1))
    return [(folded[m.start : m.end], m.code) for m in found]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Россия", "RU"),
        ("России", "RU"),
        ("Россию", "RU"),
        ("Россией", "RU"),
        ("российский", "RU"),
        ("российского", "RU"),
        ("российские", "RU"),
        ("Москва", "RU"),
        ("Москвы", "RU"),
        ("Москве", "RU"),
        ("Кремлем", "RU"),
        ("Путиным", "RU"),
        ("Южной Кореи", "KR"),
        ("Саудовскую Аравию", "SA"),
        ("Соединенными Штатами", "US"),
        ("Соединённых Штатов", "US"),
        ("американских", "US"),
        ("Китаем", "CN"),
        ("Евросоюза", "EU"),
        ("Белоруссию", "BY"),
    ],
)
def test_russian_names_match_in_every_case(text: str, code: str) -> None:
    [(_, found)] = _found("ru", text)
    assert found == code


def test_russian_homographs_are_guarded() -> None:
    assert _found("ru", "после того") == []
    assert _found("ru", "в Того")[0][1] == "TG"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ایران", "IR"),
        ("ايران", "IR"),  # Arabic yeh
        ("ایرانی", "IR"),
        ("ایرانی‌ها", "IR"),  # plural with the joiner
        ("ایرانیها", "IR"),  # ... and without it
        ("آمریکا", "US"),
        ("امریکا", "US"),
        ("آمریکایی", "US"),
        ("آمریکاییان", "US"),
        ("آمریکای", "US"),  # ezafe
        ("روسیه", "RU"),
        ("روسیه‌ی", "RU"),
        ("روسیۀ", "RU"),
        ("اتحادیه‌ی اروپا", "EU"),
        ("اتحادیۀ اروپا", "EU"),
        ("کره‌جنوبی", "KR"),
        ("كره جنوبی", "KR"),  # Arabic kaf
        ("ترکیه‌ای", "TR"),
    ],
)
def test_persian_forms_fold_and_take_their_suffixes(text: str, code: str) -> None:
    [(_, found)] = _found("fa", text)
    assert found == code


def test_persian_homographs_are_guarded() -> None:
    assert _found("fa", "کمک مالی") == []
    assert _found("fa", "کشور مالی")[0][1] == "ML"
