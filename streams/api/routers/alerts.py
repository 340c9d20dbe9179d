"""/v1/alerts/stream: the key's alerts as Server-Sent Events, resumable with Last-Event-ID.

Each event's id is the alert's seq, which commits in order, so a client that reconnects
with the last id it saw gets exactly the alerts after it. PostgreSQL NOTIFY wakes the
stream as soon as an alert is stored; a comment every 15 s keeps proxies from closing it.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from streams.web import reads
from streams.web.deps import EngineDep, KeyDep, ListenerDep
from streams.web.errors import documented
from streams.web.sse import event_stream

router = APIRouter(prefix="/v1/alerts", tags=["alerts"], responses=documented(401, 422, 429))

PAGE = 200
# Seqs are PostgreSQL bigints.
MAX_SEQ = 2**63 - 1
SEQ_PATTERN = r"^[0-9]{1,18}$"


@router.get("/stream", response_class=StreamingResponse)
async def stream(
    request: Request,
    key: KeyDep,
    engine: EngineDep,
    listener: ListenerDep,
    last_event_id: Annotated[
        str | None, Header(alias="Last-Event-ID", pattern=SEQ_PATTERN, description="an id we sent")
    ] = None,
    after: Annotated[
        int | None, Query(ge=0, le=MAX_SEQ, description="start after this seq; 0: all")
    ] = None,
) -> StreamingResponse:
    """Alerts from now on (or after `Last-Event-ID` / `after`), as `event: alert` lines."""
    if last_event_id is not None:
        start = int(last_event_id)
    elif after is not None:
        start = after
    else:
        start = await asyncio.to_thread(_latest, engine, key.id)

    def fetch(seq: int) -> list[tuple[int, object]]:
        return _after(engine, key.id, seq)

    return event_stream(request, listener, fetch, start, event="alert", page=PAGE, retry_ms=1000)


def _latest(engine: EngineDep, key_id: str) -> int:
    with engine.connect() as conn:
        return reads.latest_seq(conn, key_id)


def _after(engine: EngineDep, key_id: str, seq: int) -> list[tuple[int, object]]:
    with engine.connect() as conn:
        return reads.alerts_after(conn, key_id, seq, PAGE)
