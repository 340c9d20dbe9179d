from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from models.alerts import Filters, SubscriptionIn
from streams.web.deps import pair
from streams.web.errors import Invalid, NotFound
from streams.web.keys import PREFIX, hash_key, new_key
from streams.web.reads import decode_cursor, encode_cursor


def test_pairs_are_normalized_to_sorted_upper_case() -> None:
    assert pair("ve-us") == "US-VE"
    assert pair("US-VE") == "US-VE"
    for bad in ("USVE", "US-", "U1-VE", "USA-VE"):
        with pytest.raises(Invalid):
            pair(bad)
    # Well formed, as the OpenAPI pattern allows, but no pair of states.
    with pytest.raises(NotFound):
        pair("us-US")


def test_filters_normalize_codes_and_refuse_junk() -> None:
    f = Filters(countries=["ve", "US", "us"], pairs=["ve-us", "US-VE", "ru-us"])
    assert f.countries == ["US", "VE"]
    assert f.pairs == ["RU-US", "US-VE"]
    with pytest.raises(ValidationError):
        Filters(countries=["Venezuela"])
    with pytest.raises(ValidationError):
        Filters(pairs=["USA-VE"])
    # Well formed, as the OpenAPI pattern allows: kept, and no change ever matches it.
    assert Filters(pairs=["us-US"]).pairs == ["US-US"]
    assert Filters.model_validate({"min_sources": 2.0, "min_confidence": 1}).min_sources == 2
    laxes: list[dict[str, object]] = [
        {"signals": 0},
        {"min_sources": 1.5},
        {"min_sources": "2"},
        {"min_sources": True},
        {"min_confidence": False},
        {"countries": [" us"]},
    ]
    for lax in laxes:
        with pytest.raises(ValidationError):
            Filters.model_validate(lax)
    with pytest.raises(ValidationError):
        Filters(event_types=["sanction.threatened"])  # type: ignore[list-item]
    with pytest.raises(ValidationError):
        Filters(min_confidence=1.5)


def test_subscription_secrets_are_bounded_and_hidden_from_repr() -> None:
    with pytest.raises(ValidationError):
        SubscriptionIn(webhook_url="https://h.example/x", secret="short")  # type: ignore[arg-type]
    sub = SubscriptionIn(webhook_url="https://h.example/x", secret="x" * 20)  # type: ignore[arg-type]
    assert "x" * 20 not in repr(sub)
    with pytest.raises(ValidationError):
        SubscriptionIn(unknown=1)  # type: ignore[call-arg]


def test_keys_are_random_and_stored_only_as_hashes() -> None:
    a, b = new_key(), new_key()
    assert a != b and a.startswith(PREFIX) and len(a) > 40
    assert hash_key(a) == hash_key(a) and len(hash_key(a)) == 64 and a not in hash_key(a)


def test_change_feed_cursor_round_trips_and_refuses_forgeries() -> None:
    at = dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
    assert decode_cursor(encode_cursor(at, "abc")) == (at, "abc")
    assert decode_cursor("0-0") == (dt.datetime(1970, 1, 1, tzinfo=dt.UTC), "0")
    with pytest.raises(Invalid):
        decode_cursor("not-a-cursor")
    with pytest.raises(Invalid):
        decode_cursor("1" * 18 + "-abc")


@pytest.mark.parametrize("name", ["a\x00b", "line\nbreak", "tab\there", "bell\x07", "del\x7f"])
def test_subscription_names_refuse_control_characters(name: str) -> None:
    # A NUL reached PostgreSQL and answered 500; now the request is refused as invalid.
    with pytest.raises(ValidationError):
        SubscriptionIn(name=name, channel="sse")
    assert SubscriptionIn(name="Sanctions on Iran — الخليج", channel="sse").name
