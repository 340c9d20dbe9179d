"""Request dependencies: the database engine, the caller's key, the stream listener."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy import Engine

from models.alerts import Filters
from models.dyads import DyadError, parse_dyad
from streams.listen import Listener
from streams.settings import Settings
from streams.web import keys
from streams.web.errors import Invalid, ReadOnly, Unauthorized


def engine(request: Request) -> Engine:
    found: Engine = request.app.state.engine
    return found


def settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


def listener(request: Request) -> Listener:
    found: Listener = request.app.state.listener
    return found


def api_key(
    engine: Annotated[Engine, Depends(engine)],
    authorization: Annotated[str | None, Header()] = None,
) -> keys.ApiKey:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send Authorization: Bearer <key> (dyadwatch apikey create)")
    with engine.connect() as conn:
        found = keys.lookup(conn, token.strip())
    if found is None:
        raise Unauthorized("unknown or revoked API key")
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
    try:
        return parse_dyad(value)
    except DyadError:
        raise Invalid("a dyad is two country codes joined by a dash, like US-VE") from None


EngineDep = Annotated[Engine, Depends(engine)]
SettingsDep = Annotated[Settings, Depends(settings)]
KeyDep = Annotated[keys.ApiKey, Depends(api_key)]
WriterKeyDep = Annotated[keys.ApiKey, Depends(writer_key)]
ListenerDep = Annotated[Listener, Depends(listener)]
