"""Form posts: parsing, the same-origin rule, subscription fields as the API's model, and
the request models' complaints as sentences."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError
from starlette.requests import Request

from models.feeds import FeedIn
from streams.dashboard.auth import Refused, parse_form, same_origin
from streams.dashboard.display import utc_minute
from streams.dashboard.form_errors import validation_sentence
from streams.dashboard.subscription_form import subscription_from_form


def request(headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "POST", "path": "/", "headers": raw})


def test_same_origin_posts_only() -> None:
    assert same_origin(request({"host": "127.0.0.1:8080", "origin": "http://127.0.0.1:8080"}))
    assert same_origin(request({"host": "127.0.0.1:8080"}))  # no Origin: not a browser's post
    assert not same_origin(request({"host": "127.0.0.1:8080", "origin": "http://evil.test"}))
    assert not same_origin(request({"host": "127.0.0.1:8080", "origin": "null"}))
    assert not same_origin(request({"host": "a", "sec-fetch-site": "cross-site"}))


def test_form_parsing_refuses_what_it_cannot_read() -> None:
    assert parse_form(b"key=dw_x&dimensions=oil&dimensions=sanctions") == {
        "key": ["dw_x"],
        "dimensions": ["oil", "sanctions"],
    }
    with pytest.raises(Refused):
        parse_form(b"\xff\xfe")
    with pytest.raises(Refused):
        parse_form(b"&".join(b"f%d=1" % i for i in range(500)))


def test_subscription_fields_become_the_api_model() -> None:
    made = subscription_from_form(
        {
            "pairs": ["ve-us, RU-US"],
            "countries": ["ir"],
            "dimensions": ["sanctions"],
            "statuses": ["occurred"],
            "min_confidence": ["0.5"],
            "channel": ["webhook"],
            "webhook_url": ["https://example.org/hook"],
            "signals": ["on"],
        }
    )
    assert made.filters.pairs == ["RU-US", "US-VE"] and made.filters.countries == ["IR"]
    assert made.filters.min_confidence == 0.5 and made.filters.signals
    assert str(made.webhook_url) == "https://example.org/hook" and made.secret is None
    assert subscription_from_form({}).channel == "sse"


def test_subscription_problems_read_as_sentences() -> None:
    with pytest.raises(ValueError, match="pairs"):
        subscription_from_form({"pairs": ["USVE"]})
    with pytest.raises(ValueError, match="dimensions"):
        subscription_from_form({"dimensions": ["weather"]})
    with pytest.raises(ValueError, match="secret"):
        subscription_from_form(
            {"channel": ["webhook"], "webhook_url": ["https://a.test/"], "secret": ["short"]}
        )


def test_a_pattern_mismatch_reads_as_what_the_field_asks_for() -> None:
    with pytest.raises(ValidationError) as refused:
        FeedIn.model_validate({"url": "ftp://x.test/", "every": "soon"})
    sentence = validation_sentence(refused.value, FeedIn)
    assert sentence == (
        "url: expected an http(s) URL of an RSS or Atom feed; "
        "every: expected how often to poll, from 10s to 7d: 90s, 5m, 2h or 1d"
    )
    assert "^" not in sentence  # no regular expression shown to a person


def test_times_are_shown_in_utc_whatever_the_session_zone() -> None:
    tehran = dt.timezone(dt.timedelta(hours=3, minutes=30))
    assert utc_minute(dt.datetime(2026, 3, 2, 13, 30, tzinfo=tehran)) == "2026-03-02 10:00"
