"""Form posts: parsing, the same-origin rule, and subscription fields as the API's model."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from streams.dashboard.auth import Refused, parse_form, same_origin
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
