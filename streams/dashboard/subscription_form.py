"""A subscription form's fields as the API's own request model, so both refuse alike."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from models.alerts import SubscriptionIn
from streams.dashboard.form_errors import validation_sentence
from streams.errors import InvalidInput

_LIST_SPLIT = re.compile(r"[\s,;]+")


def _words(value: str) -> list[str]:
    return [w for w in _LIST_SPLIT.split(value.strip()) if w]


def subscription_from_form(form: dict[str, list[str]]) -> SubscriptionIn:
    """Raises ValueError with a sentence a person can act on."""

    def one(field: str) -> str:
        return (form.get(field) or [""])[0].strip()

    filters: dict[str, Any] = {
        "countries": _words(one("countries")),
        "pairs": _words(one("pairs")),
        "dimensions": form.get("dimensions", []),
        "event_types": form.get("event_types", []),
        "statuses": form.get("statuses", []),
        "signals": one("signals") == "on",
    }
    # A form sends text; the request model takes JSON numbers only.
    if one("min_confidence"):
        filters["min_confidence"] = _number(one("min_confidence"), float, "min confidence")
    if one("min_sources"):
        filters["min_sources"] = _number(one("min_sources"), int, "min sources")
    body: dict[str, Any] = {"filters": filters, "channel": one("channel") or "sse"}
    if one("name"):
        body["name"] = one("name")
    if body["channel"] == "webhook":
        body["webhook_url"] = one("webhook_url") or None
        if one("secret"):
            body["secret"] = one("secret")
    try:
        return SubscriptionIn.model_validate(body)
    except ValidationError as exc:
        raise InvalidInput(validation_sentence(exc, SubscriptionIn)) from None


def _number(text: str, kind: type[int] | type[float], what: str) -> int | float:
    try:
        return kind(text)
    except ValueError:
        whole = "a whole number" if kind is int else "a number"
        raise InvalidInput(f"{what}: expected {whole}, got {text[:20]!r}") from None
