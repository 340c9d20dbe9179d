"""The API process: create_app() puts the HTTP API's routers and the dashboard's pages on
one FastAPI application, and `serve()` runs it for `dyadwatch api`. Neither stage imports
the other; this module is where they meet."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from streams.api.routers import alerts, feeds, health, reads, subscriptions
from streams.dashboard.mount import mount
from streams.db import engine_for
from streams.listen import ALERTS_CHANNEL, Listener
from streams.sealing import Sealer
from streams.settings import Settings
from streams.ssrf import UnsafeUrl
from streams.web.contract import keep_contract
from streams.web.errors import ApiError
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
    url = settings.require_database_url()
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

    for module in (subscriptions, reads, alerts, feeds, health):
        app.include_router(module.router)
    keep_contract(app, settings)
    changes_listener = mount(app, url)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    return app


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
