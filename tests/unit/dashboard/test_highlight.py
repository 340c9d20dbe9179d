"""Parties marked in evidence sentences, found again from the gazetteer's names."""

from __future__ import annotations

from streams.dashboard.highlight import Segment, segments
from streams.reporting.names import party_names


def test_whole_words_only_and_longest_name_first() -> None:
    names = [("US", "US"), ("United States", "US"), ("Venezuela", "VE")]
    found = segments("The United States and Venezuela; USSR and US.", names)
    assert [s for s in found if s.party] == [
        Segment("United States", "US"),
        Segment("Venezuela", "VE"),
        Segment("US", "US"),
    ]
    assert "".join(s.text for s in found) == "The United States and Venezuela; USSR and US."


def test_arabic_names_after_a_clitic_letter() -> None:
    text = "وقطعت فنزويلا والولايات المتحدة العلاقات"
    found = segments(text, party_names("ar", ["US", "VE"]))
    assert [(s.text, s.party) for s in found if s.party] == [
        ("فنزويلا", "VE"),
        ("الولايات المتحدة", "US"),
    ]
    assert "".join(s.text for s in found) == text


def test_no_names_leaves_the_text_whole() -> None:
    assert segments("nothing here", []) == [Segment("nothing here", None)]
    assert segments("", [("US", "US")]) == [Segment("", None)]
    assert party_names("xx", ["US"]) == []
