"""All SQL of feeds: following, pausing and dropping them, claiming the due ones, and what a
poll leaves behind (validators, health, the items already published)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Connection,
    RowMapping,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert

from models.feeds import FeedHealth
from models.handles import FEED_ITEMS, FEEDS
from streams.feeds.items import feed_id, key_hash


@dataclass(frozen=True)
class DueFeed:
    """A claimed feed: what its poll needs."""

    id: str
    url: str
    every_seconds: int
    lang: str | None
    etag: str | None
    last_modified: str | None
    failures: int


def _health(row: RowMapping) -> FeedHealth:
    return FeedHealth.model_validate(dict(row))


def add(conn: Connection, url: str, every_seconds: int, lang: str | None) -> FeedHealth:
    """Follow a feed, due at once; a feed followed already keeps its history and takes the
    new interval and language."""
    statement = (
        insert(FEEDS)
        .values(id=feed_id(url), url=url, every_seconds=every_seconds, lang=lang)
        .on_conflict_do_update(
            index_elements=[FEEDS.c.url], set_={"every_seconds": every_seconds, "lang": lang}
        )
        .returning(*FEEDS.c)
    )
    return _health(conn.execute(statement).mappings().one())


def list_all(conn: Connection) -> list[FeedHealth]:
    rows = conn.execute(select(FEEDS).order_by(FEEDS.c.created_at, FEEDS.c.id)).mappings()
    return [_health(row) for row in rows]


def _ref(ref: str) -> ColumnElement[bool]:
    """A feed named by its id or its URL."""
    return or_(FEEDS.c.id == ref, FEEDS.c.url == ref)


def get(conn: Connection, ref: str) -> FeedHealth | None:
    row = conn.execute(select(FEEDS).where(_ref(ref))).mappings().first()
    return _health(row) if row else None


def remove(conn: Connection, ref: str) -> bool:
    """Stop following a feed; its remembered items go with it."""
    return bool(conn.execute(delete(FEEDS).where(_ref(ref))).rowcount)


def set_paused(conn: Connection, ref: str, paused: bool) -> FeedHealth | None:
    values: dict[str, object] = {"paused": paused}
    if not paused:
        # A resumed feed is polled at once, with its failures forgiven.
        values.update(next_due_at=func.now(), failures=0)
    statement = update(FEEDS).where(_ref(ref)).values(**values).returning(*FEEDS.c)
    row = conn.execute(statement).mappings().first()
    return _health(row) if row else None


def claim_due(conn: Connection, now: dt.datetime, lease: dt.timedelta, limit: int) -> list[DueFeed]:
    """Take the feeds due at `now`, each pushed `lease` ahead, so a second poller skips them
    and a poller that dies mid-poll only delays them by the lease."""
    due = (
        select(FEEDS.c.id)
        .where(FEEDS.c.paused.is_(False), FEEDS.c.next_due_at <= now)
        .order_by(FEEDS.c.next_due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(FEEDS)
        .where(FEEDS.c.id.in_(due.scalar_subquery()))
        .values(next_due_at=now + lease, last_attempt_at=now)
        .returning(*FEEDS.c)
    )
    rows = conn.execute(statement).mappings().all()
    return [
        DueFeed(
            id=row["id"],
            url=row["url"],
            every_seconds=row["every_seconds"],
            lang=row["lang"],
            etag=row["etag"],
            last_modified=row["last_modified"],
            failures=row["failures"],
        )
        for row in rows
    ]


def unseen(conn: Connection, feed: str, keys: Iterable[str]) -> set[str]:
    """The keys among `keys` this feed has not published yet."""
    by_hash = {key_hash(k): k for k in keys}
    if not by_hash:
        return set()
    seen = conn.execute(
        select(FEED_ITEMS.c.key_hash).where(
            FEED_ITEMS.c.feed_id == feed, FEED_ITEMS.c.key_hash.in_(list(by_hash))
        )
    ).scalars()
    for found in seen:
        by_hash.pop(found, None)
    return set(by_hash.values())


def record_success(
    conn: Connection,
    feed: str,
    *,
    now: dt.datetime,
    due: dt.datetime,
    etag: str | None,
    last_modified: str | None,
    items: list[tuple[str, str | None]],
) -> int:
    """A full answer was read: remember its items (key, article id) and validators. Returns
    how many items were new to the table (a replay of the same poll adds none)."""
    added = 0
    if items:
        rows = [
            {"feed_id": feed, "key_hash": key_hash(k), "item_key": k, "article_id": a}
            for k, a in items
        ]
        statement = (
            insert(FEED_ITEMS)
            .values(rows)
            .on_conflict_do_nothing()
            .returning(FEED_ITEMS.c.key_hash)
        )
        added = len(conn.execute(statement).all())
    conn.execute(
        update(FEEDS)
        .where(FEEDS.c.id == feed)
        .values(
            etag=etag,
            last_modified=last_modified,
            next_due_at=due,
            last_success_at=now,
            failures=0,
            items_seen=FEEDS.c.items_seen + added,
        )
    )
    return added


def record_not_modified(conn: Connection, feed: str, *, now: dt.datetime, due: dt.datetime) -> None:
    conn.execute(
        update(FEEDS)
        .where(FEEDS.c.id == feed)
        .values(next_due_at=due, last_success_at=now, failures=0)
    )


def record_failure(
    conn: Connection, feed: str, *, now: dt.datetime, due: dt.datetime, error: str
) -> None:
    conn.execute(
        update(FEEDS)
        .where(FEEDS.c.id == feed)
        .values(
            next_due_at=due,
            last_error_at=now,
            last_error=error[:2000],
            failures=FEEDS.c.failures + 1,
        )
    )


def seconds_to_next_due(conn: Connection, now: dt.datetime) -> float | None:
    """Seconds until the next active feed is due (0 when one is due now), None without feeds."""
    soonest: dt.datetime | None = conn.execute(
        select(func.min(FEEDS.c.next_due_at)).where(FEEDS.c.paused.is_(False))
    ).scalar()
    if soonest is None:
        return None
    return max(0.0, (soonest - now).total_seconds())
