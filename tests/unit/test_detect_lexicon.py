"""Lexicon files: every shipped one validates; a broken one is reported by key."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from streams.detect.lexicon import (
    LEXICON_DIR,
    LexiconError,
    available_lexicons,
    expand_macros,
    load_lexicon,
    parse_lexicon,
)
from streams.detect.rules import language_rules


def _raw(lang: str = "en") -> dict[str, Any]:
    data = yaml.safe_load((LEXICON_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("lang", ["ar", "en", "fr", "fa", "ru"])
def test_shipped_lexicons_load_and_compile(lang: str) -> None:
    assert lang in available_lexicons()
    lexicon = load_lexicon(lang)
    rules = language_rules(lang)
    assert lexicon.lang == lang
    assert len(rules.triggers) == len(lexicon.triggers)
    # Every trigger can be found through an anchor, or the cheap first pass would hide it.
    assert all(trigger.anchors for trigger in rules.triggers)


def test_unknown_frame_is_reported() -> None:
    raw = _raw()
    raw["triggers"][0]["frame"] = "no_such_frame"
    with pytest.raises(LexiconError, match="no_such_frame"):
        parse_lexicon(raw, "en.yaml")


def test_bad_pattern_is_reported_with_its_trigger() -> None:
    raw = _raw()
    raw["triggers"][0]["patterns"] = ["sanctions (unclosed"]
    with pytest.raises(LexiconError, match=r"triggers\[0\]"):
        parse_lexicon(raw, "en.yaml")


def test_unknown_macro_and_wrong_types_are_reported() -> None:
    raw = _raw()
    raw["triggers"][0]["patterns"] = ["<nowhere> sanctions"]
    with pytest.raises(LexiconError, match="unknown macro <nowhere>"):
        parse_lexicon(raw, "en.yaml")
    raw = _raw()
    raw["stopwords"] = [True]  # YAML reads a bare `on` or `no` as a boolean
    with pytest.raises(LexiconError, match=r"stopwords\.0"):
        parse_lexicon(raw, "en.yaml")
    raw = _raw()
    raw["dates"]["months"] = raw["dates"]["months"][:11]
    with pytest.raises(LexiconError, match="months"):
        parse_lexicon(raw, "en.yaml")


def test_gap_macro_allows_words_but_not_sentence_ends() -> None:
    import re

    gap = re.compile("cut" + expand_macros("<gap2>", {}) + r"\s+ties")
    assert gap.search("cut all diplomatic ties")
    assert gap.search("cut Iran, Monday, ties")
    assert not gap.search("cut. The ties")
    assert not gap.search("cut one two three ties")


@pytest.mark.parametrize("lang", available_lexicons())
def test_no_pattern_holds_a_mark_the_fold_deletes(lang: str) -> None:
    # Folded text has no zero-width joiners or harakat left, so a pattern holding one
    # ("تحریم‌ها" typed with its joiner) could never match.
    deleted = re.compile("[\u200b-\u200f\u064b-\u065f\u0670]")
    for trigger in load_lexicon(lang).triggers:
        for pattern in trigger.patterns:
            assert not deleted.search(pattern), pattern


def test_inflections_and_a_second_calendar_are_checked() -> None:
    raw = _raw("en")
    raw["inflections"] = [{"ending": "", "replace": ["a"]}]
    with pytest.raises(LexiconError, match="after"):
        parse_lexicon(raw, "en.yaml")
    raw = _raw("en")
    raw["dates"]["calendar"] = "solar_hijri"
    with pytest.raises(LexiconError, match="calendar_months"):
        parse_lexicon(raw, "en.yaml")


def test_a_broken_data_file_is_a_dyadwatch_error() -> None:
    # The command line reports every DyadwatchError as one line and exit code 2.
    from streams.detect.countries import GazetteerError
    from streams.errors import DataError, DyadwatchError

    assert issubclass(LexiconError, DataError) and issubclass(GazetteerError, DataError)
    with pytest.raises(DyadwatchError, match="no lexicon for language 'xx'"):
        load_lexicon("xx")
