"""/v1/dyads and /v1/changes: the state and its change feed, for reporting."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BeforeValidator

from models.dyads import DYAD_PATTERN
from streams.web import reads
from streams.web.deps import EngineDep, KeyDep, pair
from streams.web.errors import documented

router = APIRouter(prefix="/v1", tags=["reads"], responses=documented(401, 404, 422, 429))

DYAD_SAYS = "two country codes joined by a dash, in either order (US-VE, ve-us)"
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def rfc3339(value: object) -> object:
    """Only an RFC 3339 date-time, as the schema says; a bare number is not a time."""
    if isinstance(value, str) and not _RFC3339.match(value):
        raise ValueError("expected an RFC 3339 date-time, like 2026-01-31T00:00:00Z")
    return value


@router.get("/dyads/{dyad}")
def dyad(
    dyad: Annotated[str, Path(pattern=DYAD_PATTERN, description=DYAD_SAYS)],
    key: KeyDep,
    engine: EngineDep,
) -> dict[str, Any]:
    """Current status per dimension, full history and open signals of one pair (US-VE)."""
    with engine.connect() as conn:
        return reads.dyad(conn, pair(dyad))


@router.get("/changes")
def changes(
    key: KeyDep,
    engine: EngineDep,
    since: Annotated[
        dt.datetime | None, BeforeValidator(rfc3339), Query(description="recorded at or after")
    ] = None,
    cursor: Annotated[
        str | None, Query(pattern=reads.CURSOR_PATTERN, description="`next` of a page")
    ] = None,
    dyad: Annotated[str | None, Query(pattern=DYAD_PATTERN, description=DYAD_SAYS)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """The change feed in the order we recorded it; follow `next` until `more` is false."""
    with engine.connect() as conn:
        return reads.changes(
            conn, since=since, cursor=cursor, dyad=pair(dyad) if dyad else None, limit=limit
        )
