"""The OpenAPI document as the contract the API keeps: the framework's own refusals answered
with our error body, a 405 that names every method of its path, and the document adjusted
to say exactly what is taken (optional parameters without a null, this deployment's limits).
`tests/integration/test_api_contract.py` holds the API to it with Schemathesis."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import Scope

from streams.settings import Settings
from streams.web.errors import CODES


def keep_contract(app: FastAPI, settings: Settings) -> None:
    """Install the handlers and the document on `app`, once its routes are in."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": "invalid", "detail": describe(exc)}, status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(app, request.scope))
        body = {"error": CODES.get(exc.status_code, "error"), "detail": str(exc.detail)}
        return JSONResponse(body, status_code=exc.status_code, headers=headers or None)

    describe_api = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = working_limits(absent_is_null(describe_api()), settings)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def absent_is_null(document: dict[str, Any]) -> dict[str, Any]:
    """An optional parameter is null by being left out: a header or query value has no null
    to send, so `anyOf: [X, null]` of an optional parameter is stated as X alone. Left as it
    is, a client (or a fuzzer) may send the word "null", which we do not take."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                schema = parameter.get("schema", {})
                kinds = schema.get("anyOf", ())
                others = [k for k in kinds if k.get("type") != "null"]
                if not parameter.get("required") and len(kinds) == 2 and len(others) == 1:
                    del schema["anyOf"]
                    schema.update(others[0])
    return document


def working_limits(document: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The document states this deployment's limits (DYADWATCH_MAX_FILTER_ITEMS), not the
    model's hard ceiling, so what it calls valid is what we take."""
    filters = document.get("components", {}).get("schemas", {}).get("Filters", {})
    for name in ("countries", "pairs"):
        if name in filters.get("properties", {}):
            filters["properties"][name]["maxItems"] = settings.max_filter_items
    return document


def describe(exc: RequestValidationError, most: int = 5) -> str:
    """ "query.limit: Input should be less than or equal to 1000; ..." for the first few."""
    problems = []
    for error in exc.errors()[:most]:
        where = ".".join(str(part) for part in error.get("loc", ()))
        problems.append(
            f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", "")
        )
    more = len(exc.errors()) - most
    return "; ".join(problems) + (f"; and {more} more" if more > 0 else "")


def allowed_methods(app: FastAPI, scope: Scope) -> list[str]:
    """Every method some route serves at this path. Starlette's own 405 names only the methods
    of the first route whose path matched, though GET and POST are often separate routes."""
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches(scope)
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)
