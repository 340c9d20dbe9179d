"""Errors the API answers with; one handler in `streams.server` turns them into HTTP."""

from __future__ import annotations

from streams.errors import DyadwatchError


class ApiError(DyadwatchError):
    status = 400
    code = "bad_request"


class Unauthorized(ApiError):
    status = 401
    code = "unauthorized"


class ReadOnly(ApiError):
    status = 403
    code = "read_only"


class NotFound(ApiError):
    status = 404
    code = "not_found"


class Invalid(ApiError):
    status = 422
    code = "invalid"


class TooLarge(ApiError):
    status = 413
    code = "too_large"
