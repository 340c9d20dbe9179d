"""/feed/changes: the change feed as Server-Sent Events for a signed-in page.

The cursor is the change feed's own (recorded time, id), so a reconnecting page resumes
after the last change it showed. PostgreSQL NOTIFY on `dyad_changes` wakes the stream.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Engine

from streams.dashboard.auth import Refused, ViewerDep
from streams.dashboard.changes import feed_item
from streams.listen import Listener
from streams.web import reads
from streams.web.deps import EngineDep
from streams.web.errors import Invalid
from streams.web.sse import event_stream

router = APIRouter(include_in_schema=False)

PAGE = 50


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

    def fetch(position: str | None) -> list[tuple[str | None, object]]:
        return _page(engine, position)

    return event_stream(request, listener, fetch, cursor, event="change", page=PAGE, retry_ms=2000)


def _page(engine: Engine, cursor: str | None) -> list[tuple[str | None, object]]:
    with engine.connect() as conn:
        found = reads.changes(conn, since=None, cursor=cursor, dyad=None, limit=PAGE)
    out: list[tuple[str | None, object]] = []
    for change in found["changes"]:
        at = reads.encode_cursor(change["recorded_at"], change["id"])
        out.append((at, feed_item(change)))
    return out
