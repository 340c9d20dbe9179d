"""/v1/feeds: the feeds the poller follows and their health. Feeds belong to the deployment,
not to a key: any key may look, a writer key may add, pause, resume or drop one."""

from __future__ import annotations

from fastapi import APIRouter, Response

from models.feeds import FeedHealth, FeedIn
from streams.errors import ConfigError
from streams.feeds import repository
from streams.feeds.schedule import parse_every
from streams.ssrf import check_saved_url
from streams.web.deps import EngineDep, KeyDep, SettingsDep, WriterKeyDep
from streams.web.errors import Invalid, NotFound, documented

router = APIRouter(prefix="/v1/feeds", tags=["feeds"], responses=documented(401, 422, 429))

ONE = documented(404)
WRITE = documented(403)


@router.get("")
def list_all(key: KeyDep, engine: EngineDep) -> list[FeedHealth]:
    """Every feed with its health: last success, last error, failures in a row, items seen,
    next due."""
    with engine.connect() as conn:
        return repository.list_all(conn)


@router.get("/{feed_id}", responses=ONE)
def read(feed_id: str, key: KeyDep, engine: EngineDep) -> FeedHealth:
    with engine.connect() as conn:
        found = repository.get(conn, feed_id)
    if found is None:
        raise NotFound(f"no feed {feed_id}")
    return found


@router.post("", status_code=201, responses=WRITE | documented(400, 413))
def create(body: FeedIn, key: WriterKeyDep, engine: EngineDep, settings: SettingsDep) -> FeedHealth:
    """Follow a feed (polled at once, then every `every`); a known URL takes the new values."""
    try:
        every = parse_every(body.every)
    except ConfigError as exc:
        raise Invalid(str(exc)) from None
    check_saved_url(body.url, allow_private=settings.private_urls_allowed())
    with engine.begin() as conn:
        return repository.add(conn, body.url, every, body.lang)


@router.post("/{feed_id}/pause", responses=WRITE | ONE)
def pause(feed_id: str, key: WriterKeyDep, engine: EngineDep) -> FeedHealth:
    return _set_paused(engine, feed_id, True)


@router.post("/{feed_id}/resume", responses=WRITE | ONE)
def resume(feed_id: str, key: WriterKeyDep, engine: EngineDep) -> FeedHealth:
    return _set_paused(engine, feed_id, False)


@router.delete("/{feed_id}", status_code=204, responses=WRITE | ONE)
def remove(feed_id: str, key: WriterKeyDep, engine: EngineDep) -> Response:
    with engine.begin() as conn:
        if not repository.remove(conn, feed_id):
            raise NotFound(f"no feed {feed_id}")
    return Response(status_code=204)


def _set_paused(engine: EngineDep, feed_id: str, paused: bool) -> FeedHealth:
    with engine.begin() as conn:
        found = repository.set_paused(conn, feed_id, paused)
    if found is None:
        raise NotFound(f"no feed {feed_id}")
    return found
