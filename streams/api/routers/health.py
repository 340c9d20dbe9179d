"""/healthz and /metrics: unauthenticated, for load balancers and Prometheus."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from streams.web import metrics
from streams.web.deps import EngineDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(engine: EngineDep) -> JSONResponse:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "up"})


@router.get("/metrics", response_class=PlainTextResponse)
def prometheus(engine: EngineDep) -> PlainTextResponse:
    with engine.connect() as conn:
        body = metrics.render(conn)
    return PlainTextResponse(body, media_type="text/plain; version=0.0.4")
