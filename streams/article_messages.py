"""Bytes of one `news.articles` message → an Article, or a RejectedMessage with a machine reason.

The contract of the topic, shared by the stages that write it (ingest, bridge, poller) and
the one that reads it (detect). Pure."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from models.events import Article
from models.ids import text_id
from streams.errors import RejectedMessage

# Reasons are stable strings: dashboards and tests count them.
NOT_UTF8 = "not_utf8"
NOT_JSON = "not_json"
NOT_OBJECT = "not_object"
NO_TEXT = "no_text"
TOO_LARGE = "too_large"
INVALID_FIELD = "invalid_field"
TOO_DEEP = "too_deep"
BAD_CHARACTERS = "bad_characters"
REASONS = (
    NOT_UTF8,
    NOT_JSON,
    NOT_OBJECT,
    NO_TEXT,
    TOO_LARGE,
    INVALID_FIELD,
    TOO_DEEP,
    BAD_CHARACTERS,
)

# An article is a flat object; a few levels leave room for an upstream's extra fields.
MAX_DEPTH = 16
# The fields an Article keeps, which go on to PostgreSQL and Kafka.
_STRING_FIELDS = ("id", "text", "title", "url", "source", "lang", "published_at")

_SPACE = re.compile(r"\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def decode_json(raw: bytes, max_bytes: int) -> dict[str, Any]:
    """Bytes of one message → a JSON object, checking size and encoding first."""
    if len(raw) > max_bytes:
        raise RejectedMessage(TOO_LARGE, f"{len(raw)} bytes > limit {max_bytes}")
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RejectedMessage(NOT_UTF8, f"byte {exc.start}: {exc.reason}") from None
    try:
        value = json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise RejectedMessage(NOT_JSON, f"line {exc.lineno} col {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise RejectedMessage(TOO_DEEP, "JSON nested deeper than the parser goes") from None
    if not isinstance(value, dict):
        raise RejectedMessage(NOT_OBJECT, f"expected a JSON object, got {type(value).__name__}")
    _check_depth(value)
    return value


def _check_depth(value: object) -> None:
    """Reject nesting deeper than MAX_DEPTH, walking without recursion."""
    level: list[object] = [value]
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            raise RejectedMessage(TOO_DEEP, f"JSON nested deeper than {MAX_DEPTH} levels")
        following: list[object] = []
        for item in level:
            if isinstance(item, dict):
                following.extend(v for v in item.values() if isinstance(v, dict | list))
            elif isinstance(item, list):
                following.extend(v for v in item if isinstance(v, dict | list))
        level = following


def _check_characters(record: dict[str, Any]) -> None:
    """PostgreSQL text holds no NUL, and UTF-8 no lone surrogate (a JSON "\\ud800" escape):
    either would fail the whole batch at the database or at Kafka, so it is refused here."""
    for name in _STRING_FIELDS:
        value = record.get(name)
        if not isinstance(value, str):
            continue
        nul = value.find("\x00")
        if nul >= 0:
            raise RejectedMessage(BAD_CHARACTERS, f"{name}: NUL character at {nul}")
        # A search, not an encode: the text is encoded once, for its size, after this.
        lone = _SURROGATE.search(value)
        if lone:
            at = lone.start()
            raise RejectedMessage(
                BAD_CHARACTERS, f"{name}: lone surrogate U+{ord(lone.group()):04X} at {at}"
            )


def to_article(record: dict[str, Any], max_bytes: int) -> Article:
    """A decoded record → a valid Article with a stable id."""
    text = record.get("text")
    if text is None or (isinstance(text, str) and not text.strip()):
        raise RejectedMessage(NO_TEXT, "field 'text' is missing or blank")
    if not isinstance(text, str):
        raise RejectedMessage(INVALID_FIELD, f"text: expected a string, got {type(text).__name__}")
    _check_characters(record)
    if len(text.encode("utf-8")) > max_bytes:
        raise RejectedMessage(TOO_LARGE, f"text is over the limit of {max_bytes} bytes")
    fields = dict(record)
    if fields.get("id") in (None, ""):
        fields["id"] = text_id(text)
    elif isinstance(fields["id"], int):
        fields["id"] = str(fields["id"])
    try:
        return Article.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise RejectedMessage(INVALID_FIELD, problems) from None


def parse_message(raw: bytes, max_bytes: int) -> Article:
    return to_article(decode_json(raw, max_bytes), max_bytes)
