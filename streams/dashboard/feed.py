"""/feed/changes: the change feed as Server-Sent Events for a signed-in page.

The cursor is the change feed's own (recorded time, id), so a reconnecting page resumes
after the last change it showed. PostgreSQL NOTIFY on `dyad_changes` wakes the stream.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Engine

from streams.alerts.listen import Listener
from streams.api import reads
from streams.api.deps import EngineDep
from streams.api.errors import Invalid
from streams.dashboard.auth import Refused, ViewerDep
from streams.dashboard.changes import feed_item

router = APIRouter(include_in_schema=False)

CHANGES = "dyadwatch_changes"
PAGE = 50
KEEPALIVE = 15.0


def changes_listener(request: Request) -> Listener:
    found: Listener = request.app.state.changes_listener
    return found


@router.get("/feed/changes")
async def stream(
    request: Request,
    who: ViewerDep,
    engine: EngineDep,
    after: Annotated[str, Query(max_length=200)] = "",
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=200)] = None,
) -> StreamingResponse:
    cursor = last_event_id or after or None
    if cursor is not None:
        try:
            reads.decode_cursor(cursor)
        except Invalid:
            raise Refused(400, "That feed position is not one this dashboard gave out.") from None
    listener = changes_listener(request)

    async def events() -> AsyncIterator[str]:
        position = cursor
        yield "retry: 2000\n\n"
        while not await request.is_disconnected():
            seen = listener.generation
            page = await asyncio.to_thread(_page, engine, position)
            for item, at in page:
                position = at
                data = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
                yield f"id: {at}\nevent: change\ndata: {data}\n\n"
            if len(page) == PAGE:
                continue
            if await listener.wait(seen, KEEPALIVE) == seen:
                yield ": keepalive\n\n"

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


def _page(engine: Engine, cursor: str | None) -> list[tuple[dict[str, Any], str]]:
    with engine.connect() as conn:
        found = reads.changes(conn, since=None, cursor=cursor, dyad=None, limit=PAGE)
    out = []
    for change in found["changes"]:
        at = reads.encode_cursor(change["recorded_at"], change["id"])
        out.append((feed_item(change), at))
    return out
