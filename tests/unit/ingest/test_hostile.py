"""Hostile messages, as an upstream producer could write them: each is refused with its own
reason, nothing else escapes, and what is accepted can always be stored and sent on."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.article_messages import (
    BAD_CHARACTERS,
    INVALID_FIELD,
    MAX_DEPTH,
    NO_TEXT,
    NOT_JSON,
    NOT_OBJECT,
    TOO_DEEP,
    parse_message,
)
from streams.deadletter import MAX_LETTER, decode_letter, encode_letter
from streams.errors import RejectedMessage

LIMIT = 1_000_000

HOSTILE = {
    "deep nesting": (b'{"text": "x", "extra": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", TOO_DEEP),
    "deep but parseable": (
        json.dumps({"text": "x", "extra": json.loads("[" * 40 + "]" * 40)}).encode(),
        TOO_DEEP,
    ),
    "lone surrogate": (b'{"text": "Iran \\ud800 sanctions"}', BAD_CHARACTERS),
    "lone surrogate in the title": (b'{"text": "ok", "title": "\\udfff"}', BAD_CHARACTERS),
    "NUL in the text": (b'{"text": "Iran\\u0000sanctions"}', BAD_CHARACTERS),
    "NUL in the id": (b'{"id": "a\\u0000", "text": "ok"}', BAD_CHARACTERS),
    "a 100 KB id": (json.dumps({"id": "i" * 100_000, "text": "ok"}).encode(), INVALID_FIELD),
    "an impossible date": (b'{"text": "ok", "published_at": "2021-13-45"}', INVALID_FIELD),
    "text as a number": (b'{"text": 12}', INVALID_FIELD),
    "text as an object": (b'{"text": {"a": 1}}', INVALID_FIELD),
    "null": (b"null", NOT_OBJECT),
    "an array": (b'[{"text": "ok"}]', NOT_OBJECT),
    "no text": (b'{"id": "x"}', NO_TEXT),
    "blank text": (b'{"text": "\\u00a0 \\n"}', NO_TEXT),
    "truncated": (b'{"text": "Iran', NOT_JSON),
    "NaN-like garbage": (b"{NaN}", NOT_JSON),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_each_hostile_message_is_refused_with_its_reason(name: str) -> None:
    raw, reason = HOSTILE[name]
    with pytest.raises(RejectedMessage) as caught:
        parse_message(raw, LIMIT)
    assert caught.value.reason == reason, caught.value.detail


def test_nesting_up_to_the_limit_is_accepted() -> None:
    extra = json.loads("[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1))
    article = parse_message(json.dumps({"text": "ok", "extra": extra}).encode(), LIMIT)
    assert article.text == "ok"


def test_an_unknown_language_tag_is_kept_and_the_text_read() -> None:
    article = parse_message(b'{"text": "ok", "lang": "xx"}', LIMIT)
    assert article.lang == "xx"


@pytest.mark.parametrize("name", list(HOSTILE))
def test_every_hostile_payload_travels_in_its_dead_letter(name: str) -> None:
    raw, reason = HOSTILE[name]
    origin = {"topic": "news.articles", "partition": 3, "offset": 17}
    letter = decode_letter(
        encode_letter("detect", reason, "why", origin, raw, error=ValueError("x"), key=b"k")
    )
    assert letter.payload_bytes() == raw
    assert (letter.stage, letter.reason, letter.error, letter.key) == (
        "detect",
        reason,
        "ValueError",
        "k",
    )
    assert letter.origin == origin


def test_bytes_that_are_not_utf8_travel_as_base64() -> None:
    raw = b"\xff\xfe\x00{"
    letter = decode_letter(encode_letter("bridge", "not_utf8", "", {}, raw))
    assert letter.payload is None and letter.payload_base64
    assert letter.payload_bytes() == raw


def test_a_decoded_record_with_a_lone_surrogate_travels_escaped() -> None:
    record = {"text": "a\ud800b", "id": 1}
    letter = decode_letter(encode_letter("ingest", BAD_CHARACTERS, "", {"source": "f"}, record))
    assert letter.payload == record


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)
RECORDS = st.dictionaries(
    st.sampled_from(["id", "text", "title", "url", "source", "lang", "published_at", "x"]),
    JSON_VALUES,
)


def _accepted_is_storable(raw: bytes) -> None:
    try:
        article = parse_message(raw, LIMIT)
    except RejectedMessage:
        return
    for value in (article.id, article.text, article.title, article.url, article.lang):
        if value is not None:
            value.encode("utf-8")  # no lone surrogate
            assert "\x00" not in value
    article.model_dump_json().encode("utf-8")


@settings(max_examples=400, deadline=None)
@given(RECORDS)
def test_any_json_record_is_an_article_or_a_reasoned_refusal(record: dict[str, object]) -> None:
    _accepted_is_storable(json.dumps(record).encode("utf-8", errors="surrogatepass"))


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_an_article_or_a_reasoned_refusal(raw: bytes) -> None:
    _accepted_is_storable(raw)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=3))
def test_any_payload_round_trips_through_a_dead_letter(raw: bytes, origin: dict) -> None:  # type: ignore[type-arg]
    letter = decode_letter(encode_letter("detect", "not_json", "d", {"o": origin}, raw))
    assert letter.payload_bytes() == raw


def test_a_payload_too_large_for_one_record_keeps_its_head_size_and_hash() -> None:
    raw = b'{"text": "' + b"y" * 1_200_000 + b'"}'
    origin = {"topic": "news.articles", "partition": 0, "offset": 5}
    encoded = encode_letter("detect", "too_large", "", origin, raw)
    assert len(encoded) <= MAX_LETTER
    letter = decode_letter(encoded)
    assert letter.payload_truncated
    assert letter.payload_size == len(raw)
    assert letter.payload_sha256 == hashlib.sha256(raw).hexdigest()
    assert raw.startswith(letter.payload_bytes())


def test_text_that_json_escapes_would_swell_travels_whole_as_base64() -> None:
    raw = b'{"text": "' + b"\x01" * 300_000 + b'"}'
    encoded = encode_letter("detect", "not_json", "", {}, raw)
    assert len(encoded) <= MAX_LETTER
    letter = decode_letter(encoded)
    assert not letter.payload_truncated and letter.payload_bytes() == raw
