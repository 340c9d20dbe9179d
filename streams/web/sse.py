"""Server-Sent Events over a table: pages of rows after a position, then a sleep on NOTIFY.

Both streams (a key's alerts, a page's change feed) read the rows after the last one they
sent, in commit order, and wait on a PostgreSQL NOTIFY listener when they have caught up;
a comment every KEEPALIVE seconds keeps proxies from closing an idle stream.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Sequence
from typing import TypeVar

from fastapi import Request
from fastapi.responses import StreamingResponse

from streams.listen import Listener

KEEPALIVE = 15.0

Position = TypeVar("Position")


def event_stream(
    request: Request,
    listener: Listener,
    fetch: Callable[[Position], Sequence[tuple[Position, object]]],
    start: Position,
    *,
    event: str,
    page: int,
    retry_ms: int,
) -> StreamingResponse:
    """`fetch(position)` returns up to `page` (position, payload) rows after `position`;
    each is sent as `id: position`, so a client resumes with its Last-Event-ID."""

    async def events() -> AsyncIterator[str]:
        position = start
        yield f"retry: {retry_ms}\n\n"
        while not await request.is_disconnected():
            seen = listener.generation
            rows = await asyncio.to_thread(fetch, position)
            for position, payload in rows:
                data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
                yield f"id: {position}\nevent: {event}\ndata: {data}\n\n"
            if len(rows) == page:
                continue
            if await listener.wait(seen, KEEPALIVE) == seen:
                yield ": keepalive\n\n"

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
