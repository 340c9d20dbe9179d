"""Values on the wire read as the API's JSON Schema says, no looser: the document is the
contract, and what it refuses we refuse.

URLs we are given to call (webhooks, feeds) are http(s) and written in URI characters; a host
with other letters comes in its IDNA form (xn--...), as RFC 3986 has it. Whether the host may
be called is the SSRF guard's decision, not this one. Numbers are JSON numbers: 89.0 is an
integer, as JSON Schema counts, but true, "5" and 0.5 are not."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator, Field, HttpUrl, WithJsonSchema

# The characters RFC 3986 lets a URI hold, escapes as %XX: nothing a URL parser would
# re-encode, so the URL we keep is the URL we were given, give or take a closing "/".
WEB_URL_PATTERN = r"^https?://(?:[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=-]|%[0-9A-Fa-f]{2})+$"
MAX_URL_LENGTH = 2048
_WEB_URL = re.compile(WEB_URL_PATTERN)


def _ascii_http(value: object) -> object:
    if isinstance(value, str) and len(value) > MAX_URL_LENGTH:
        raise ValueError(f"a URL may be at most {MAX_URL_LENGTH} characters long")
    if isinstance(value, str) and not _WEB_URL.match(value):
        raise ValueError(
            "expected an http(s) URL of URI characters, others %-escaped (IDN hosts as xn--)"
        )
    return value


WEB_URL_SCHEMA = {
    "type": "string",
    "format": "uri",
    "minLength": 1,
    "maxLength": MAX_URL_LENGTH,
    "pattern": WEB_URL_PATTERN,
}

WebUrl = Annotated[HttpUrl, BeforeValidator(_ascii_http), WithJsonSchema(WEB_URL_SCHEMA)]


def _json_integer(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Strict after the one widening JSON Schema allows: no bools, no strings, no fractions.
JsonInt = Annotated[int, BeforeValidator(_json_integer), Field(strict=True)]
# Strict float takes ints (JSON has one number type) but not bools or strings.
JsonFloat = Annotated[float, Field(strict=True)]
JsonBool = Annotated[bool, Field(strict=True)]
