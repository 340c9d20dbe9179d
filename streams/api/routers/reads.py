"""/v1/dyads and /v1/changes: the state and its change feed, for reporting."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from streams.web import reads
from streams.web.deps import EngineDep, KeyDep, pair

router = APIRouter(prefix="/v1", tags=["reads"])


@router.get("/dyads/{dyad}")
def dyad(dyad: str, key: KeyDep, engine: EngineDep) -> dict[str, Any]:
    """Current status per dimension, full history and open signals of one pair (US-VE)."""
    with engine.connect() as conn:
        return reads.dyad(conn, pair(dyad))


@router.get("/changes")
def changes(
    key: KeyDep,
    engine: EngineDep,
    since: Annotated[dt.datetime | None, Query(description="recorded at or after")] = None,
    cursor: Annotated[str | None, Query(max_length=200, description="`next` of a page")] = None,
    dyad: Annotated[str | None, Query(max_length=5)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """The change feed in the order we recorded it; follow `next` until `more` is false."""
    with engine.connect() as conn:
        return reads.changes(
            conn, since=since, cursor=cursor, dyad=pair(dyad) if dyad else None, limit=limit
        )
