"""One spelling for a pair of states, however it was typed."""

from __future__ import annotations

import pytest

from models.dyads import DyadError, dyad_of, parse_dyad


def test_a_dyad_is_its_codes_in_order() -> None:
    assert dyad_of("VE", "US") == dyad_of("US", "VE") == "US-VE"


@pytest.mark.parametrize("written", ["US-VE", "VE-US", "ve-us", " us-VE "])
def test_strict_form_takes_the_dash_in_any_case(written: str) -> None:
    assert parse_dyad(written) == "US-VE"


@pytest.mark.parametrize(
    "bad", ["USVE", "US-", "U1-VE", "US-US", "USA-VE", "US>VE", "US-VE-RU", "ÉÉ-US", ""]
)
def test_strict_form_refuses_anything_else(bad: str) -> None:
    with pytest.raises(DyadError):
        parse_dyad(bad)


@pytest.mark.parametrize("written", ["US>VE", "us/ve", "VE US", "US–VE", "VE, US"])
def test_loose_form_takes_what_people_type(written: str) -> None:
    assert parse_dyad(written, loose=True) == "US-VE"


def test_loose_form_still_wants_two_distinct_codes() -> None:
    for bad in ("US", "US>US", "US VE RU", "USA/VE"):
        with pytest.raises(DyadError):
            parse_dyad(bad, loose=True)
