"""Request dependencies: the database engine, the caller's key, the stream listener."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from models.alerts import Filters
from models.dyads import DYAD_PATTERN, DyadError, parse_dyad
from streams.listen import Listener
from streams.sealing import Sealer
from streams.settings import Settings
from streams.web import keys
from streams.web.errors import Invalid, NotFound, RateLimited, ReadOnly, Unauthorized
from streams.web.rate_limit import RateLimiter


def engine(request: Request) -> Engine:
    found: Engine = request.app.state.engine
    return found


def settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


def sealer(request: Request) -> Sealer:
    found: Sealer = request.app.state.sealer
    return found


def listener(request: Request) -> Listener:
    found: Listener = request.app.state.listener
    return found


# Declared as the OpenAPI security scheme; we answer a missing key ourselves, with our body.
BEARER = HTTPBearer(auto_error=False, description="an API key from `dyadwatch apikey create`")


def api_key(
    request: Request,
    engine: Annotated[Engine, Depends(engine)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)] = None,
) -> keys.ApiKey:
    token = credentials.credentials.strip() if credentials else ""
    if not token:
        raise Unauthorized("send Authorization: Bearer <key> (dyadwatch apikey create)")
    with engine.connect() as conn:
        found = keys.lookup(conn, token)
    if found is None:
        raise Unauthorized("unknown or revoked API key")
    limiter: RateLimiter = request.app.state.rate_limiter
    wait = limiter.wait_for(found.id)
    if wait > 0:
        raise RateLimited(wait)
    return found


def writer_key(key: Annotated[keys.ApiKey, Depends(api_key)]) -> keys.ApiKey:
    """The caller's key, if it may change things: a read-only key is answered 403."""
    if key.read_only:
        raise ReadOnly("this API key is read-only: it can look but not change subscriptions")
    return key


def check_filter_sizes(filters: Filters | None, limit: int) -> None:
    if filters is not None and filters.largest() > limit:
        raise Invalid(f"a filter list may hold at most {limit} items")


def pair(value: str) -> str:
    """The dyad a request names. Two equal codes are well formed but name no pair (404)."""
    try:
        return parse_dyad(value)
    except DyadError:
        if re.match(DYAD_PATTERN, value) and value[:2].upper() == value[3:].upper():
            raise NotFound(f"no dyad {value.upper()}: a state is not paired with itself") from None
        raise Invalid("a dyad is two country codes joined by a dash, like US-VE") from None


EngineDep = Annotated[Engine, Depends(engine)]
SettingsDep = Annotated[Settings, Depends(settings)]
KeyDep = Annotated[keys.ApiKey, Depends(api_key)]
WriterKeyDep = Annotated[keys.ApiKey, Depends(writer_key)]
ListenerDep = Annotated[Listener, Depends(listener)]
SealerDep = Annotated[Sealer, Depends(sealer)]
