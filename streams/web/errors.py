"""Errors the API answers with, and the one body they all have; handlers in `streams.server`
turn them (and the framework's own refusals) into HTTP."""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, Field

from streams.errors import DyadwatchError


class ErrorBody(BaseModel):
    """Every 4xx answer: a stable code for programs, a sentence for people."""

    error: str = Field(description="a stable code: invalid, not_found, unauthorized, ...")
    detail: str = Field(description="what was wrong, for a person")


class ApiError(DyadwatchError):
    status = 400
    code = "bad_request"

    def headers(self) -> dict[str, str] | None:
        return None


class Unauthorized(ApiError):
    status = 401
    code = "unauthorized"

    def headers(self) -> dict[str, str] | None:
        return {"WWW-Authenticate": "Bearer"}


class ReadOnly(ApiError):
    status = 403
    code = "read_only"


class NotFound(ApiError):
    status = 404
    code = "not_found"


class Conflict(ApiError):
    """Well formed, but refused because of what is already stored."""

    status = 409
    code = "conflict"


class Invalid(ApiError):
    status = 422
    code = "invalid"


class RateLimited(ApiError):
    status = 429
    code = "rate_limited"

    def __init__(self, seconds: float) -> None:
        super().__init__(f"too many requests for this key: try again in {seconds:.1f} s")
        self.seconds = seconds

    def headers(self) -> dict[str, str] | None:
        return {"Retry-After": str(max(1, math.ceil(self.seconds)))}


# The code of each status we or the framework may answer with, read from the classes above;
# the framework's 405 and the body limit's 413 have no class of their own.
CODES = {
    cls.status: cls.code
    for cls in (ApiError, Unauthorized, ReadOnly, NotFound, Conflict, Invalid, RateLimited)
} | {405: "method_not_allowed", 413: "too_large"}

_SAYS = {
    400: "the body could not be read",
    401: "no key, or a key that is unknown or revoked",
    403: "the key is read-only",
    404: "no such resource",
    409: "refused because of what is already stored",
    413: "the request body is too large",
    422: "a parameter or the body is not valid",
    429: "too many requests for this key; Retry-After says when to try again",
}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` entries of these error statuses, all with `ErrorBody`."""
    return {status: {"model": ErrorBody, "description": _SAYS[status]} for status in statuses}
