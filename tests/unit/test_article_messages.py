from __future__ import annotations

import datetime as dt
import json

import pytest

from models.ids import text_id
from streams.article_messages import (
    INVALID_FIELD,
    NO_TEXT,
    NOT_JSON,
    NOT_OBJECT,
    NOT_UTF8,
    TOO_LARGE,
    parse_message,
)
from streams.errors import RejectedMessage

LIMIT = 10_000


def _reason(raw: bytes, limit: int = LIMIT) -> str:
    with pytest.raises(RejectedMessage) as caught:
        parse_message(raw, limit)
    return caught.value.reason


def test_a_full_record_becomes_an_article() -> None:
    raw = json.dumps(
        {
            "id": "a1",
            "text": "فرضت الولايات المتحدة عقوبات على إيران",
            "title": "t",
            "url": "https://example.org/a1",
            "source": "wire",
            "published_at": "2022-03-06T10:00:00Z",
            "lang": "ar",
            "extra": {"kept": False},
        },
        ensure_ascii=False,
    ).encode()
    article = parse_message(raw, LIMIT)
    assert article.id == "a1"
    assert article.published_at == dt.date(2022, 3, 6)
    assert article.lang == "ar"


def test_an_article_without_id_gets_a_stable_one_from_its_text() -> None:
    a = parse_message(b'{"text": "Sanctions  on\\nIran"}', LIMIT)
    b = parse_message(b'{"text": "Sanctions on Iran "}', LIMIT)
    assert a.id == b.id == text_id("Sanctions on Iran")
    assert a.id != text_id("Sanctions on Iraq")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe not utf-8", NOT_UTF8),
        (b'{"text": "unterminated', NOT_JSON),
        (b'["a", "list"]', NOT_OBJECT),
        (b'{"id": "x"}', NO_TEXT),
        (b'{"text": "   "}', NO_TEXT),
        (b'{"text": 42}', INVALID_FIELD),
        (b'{"text": "ok", "published_at": "yesterday"}', INVALID_FIELD),
        (b'{"text": "ok", "title": ["not", "a", "string"]}', INVALID_FIELD),
    ],
)
def test_each_bad_message_has_its_reason(raw: bytes, reason: str) -> None:
    assert _reason(raw) == reason


def test_oversized_messages_are_rejected_before_parsing() -> None:
    raw = json.dumps({"text": "x" * 2000}).encode()
    assert _reason(raw, limit=1024) == TOO_LARGE


def test_the_error_says_which_field_is_wrong() -> None:
    with pytest.raises(RejectedMessage) as caught:
        parse_message(b'{"text": "ok", "published_at": "soon"}', LIMIT)
    assert "published_at" in caught.value.detail
