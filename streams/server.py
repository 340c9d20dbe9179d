"""The API process: create_app() puts the HTTP API's routers and the dashboard's pages on
one FastAPI application, and `serve()` runs it for `dyadwatch api`. Neither stage imports
the other; this module is where they meet."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from streams.api.routers import alerts, feeds, health, reads, subscriptions
from streams.dashboard.mount import mount
from streams.db import engine_for
from streams.listen import ALERTS_CHANNEL, Listener
from streams.sealing import Sealer
from streams.settings import Settings
from streams.ssrf import UnsafeUrl
from streams.stack import resolve_database_url
from streams.web.errors import CODES, ApiError
from streams.web.rate_limit import RateLimiter


class BodyLimit:
    """Refuse request bodies over `limit` bytes, declared or streamed, before reading them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = b'{"error":"too_large","detail":"request body too large"}'
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    url = resolve_database_url(settings)
    engine = engine or engine_for(url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.listener.start()
        changes_listener.start()
        yield
        await changes_listener.stop()
        await app.state.listener.stop()

    app = FastAPI(
        title="dyadwatch",
        summary="Sanctions and diplomatic relations between states: state, changes, alerts.",
        version="1",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.listener = Listener(url, ALERTS_CHANNEL)
    app.state.rate_limiter = RateLimiter(settings.api_rate, settings.api_burst)
    app.state.sealer = Sealer.from_settings(settings)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(
            {"error": exc.code, "detail": str(exc)}, status_code=exc.status, headers=exc.headers()
        )

    @app.exception_handler(UnsafeUrl)
    async def _unsafe(request: Request, exc: UnsafeUrl) -> JSONResponse:
        return JSONResponse({"error": "unsafe_url", "detail": str(exc)}, status_code=422)

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

    for module in (subscriptions, reads, alerts, feeds, health):
        app.include_router(module.router)
    describe_api = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = working_limits(absent_is_null(describe_api()), settings)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    changes_listener = mount(app, url)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    return app


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


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int | None = None) -> None:
    import uvicorn

    app = create_app(settings)
    uvicorn.run(
        app,
        host=host,
        port=settings.api_port if port is None else port,
        log_level=settings.log_level.lower(),
        access_log=False,
        # Open SSE streams never end by themselves; they must not hold a restart for long.
        timeout_graceful_shutdown=3,
    )
