"""`dyadwatch poll`: fetch each due feed, publish its new items through the ingest path.

One poll of one feed: a conditional GET (an unchanged feed answers 304 and is not parsed),
the items the feed has not published yet, the page of each item that carries only a summary,
validation and publication exactly as `dyadwatch ingest` does them, then, after the producer
has flushed, one transaction that remembers the items and the feed's health. A crash between
the flush and the commit publishes those items again on the next poll under the same article
ids, which every later stage stores idempotently. Failures of a feed back its schedule off;
a bad item goes to the dead letters like any other bad input."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from tqdm import tqdm

from streams.article_messages import to_article
from streams.errors import FetchFailed, RejectedMessage
from streams.feeds import repository as feeds
from streams.feeds.items import is_feed_type, item_key, shape
from streams.feeds.schedule import conditional_headers, next_due
from streams.ingest.fetch import Guard, Limits, fetch, new_client, ssrf_guard
from streams.ingest.fulltext import extract_page, merge, needs_page
from streams.ingest.publish import Publisher
from streams.ingest.sources import parse_feed
from streams.logs import get_logger
from streams.settings import Settings

log = get_logger(__name__)

# Long enough for a feed and the pages of its new items; a poller that dies mid-poll delays
# its feeds by this much before another poller takes them.
LEASE = dt.timedelta(minutes=10)
CLAIM_LIMIT = 20
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9"
PAGE_TYPES = ("text/html", "application/xhtml+xml")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Poller:
    """Polls due feeds. `counts` says what happened, for logs and tests."""

    def __init__(
        self,
        engine: Engine,
        publisher: Publisher,
        settings: Settings,
        *,
        guard: Guard | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.engine = engine
        self.publisher = publisher
        self.limits = Limits.from_settings(settings)
        self.guard = guard or ssrf_guard(settings)
        self.backoff_cap = settings.feed_backoff_cap
        self.min_chars = settings.full_text_min_chars
        self.max_article_bytes = settings.max_article_bytes
        self.poll_seconds = settings.feed_poll_seconds
        self.clock = clock
        self.counts: Counter[str] = Counter()
        self._client = new_client(self.limits, allow_private=settings.private_urls_allowed())

    def close(self) -> None:
        self._client.close()

    def poll_due(self) -> int:
        """Poll every feed due now; returns how many were polled."""
        now = self.clock()
        with self.engine.begin() as conn:
            due = feeds.claim_due(conn, now, LEASE, CLAIM_LIMIT)
        for feed in due:
            try:
                self.poll_feed(feed, now)
            except Exception as exc:  # a bug of ours on one feed must not stop the others
                log.exception("feed poll error", feed=feed.url)
                self._failed(feed, now, FetchFailed("poll_error", f"{type(exc).__name__}: {exc}"))
        return len(due)

    def poll_feed(self, feed: feeds.DueFeed, now: dt.datetime) -> None:
        self.counts["polled"] += 1
        try:
            answer = fetch(
                self._client,
                feed.url,
                guard=self.guard,
                limits=self.limits,
                headers=conditional_headers(feed.etag, feed.last_modified),
                accept=FEED_ACCEPT,
            )
            if answer.status == 304:
                # Unchanged: nothing is read, parsed or published.
                self.counts["not_modified"] += 1
                with self.engine.begin() as conn:
                    due = next_due(now, feed.every_seconds, 0, self.backoff_cap)
                    feeds.record_not_modified(conn, feed.id, now=now, due=due)
                return
            if answer.status != 200:
                raise FetchFailed(f"http_{answer.status}", f"{feed.url} answered {answer.status}")
            if not is_feed_type(answer.content_type):
                raise FetchFailed("not_a_feed", f"content type {answer.content_type!r}")
            self.counts["parsed"] += 1
            try:
                records = [raw.payload for raw in parse_feed(answer.body, feed.url)]
            except ValueError as exc:
                raise FetchFailed("not_a_feed", str(exc)[:500]) from None
        except FetchFailed as failure:
            self._failed(feed, now, failure)
            return
        published = self._publish_new(feed, [r for r in records if isinstance(r, dict)])
        with self.engine.begin() as conn:
            added = feeds.record_success(
                conn,
                feed.id,
                now=now,
                due=next_due(now, feed.every_seconds, 0, self.backoff_cap),
                etag=answer.etag,
                last_modified=answer.last_modified,
                items=published,
            )
        self.counts["items_new"] += added
        log.info("feed polled", feed=feed.url, items=len(records), new=added)

    def _publish_new(
        self, feed: feeds.DueFeed, records: list[dict[str, Any]]
    ) -> list[tuple[str, str | None]]:
        """Publish the items not seen before; (key, article id) of each one handled."""
        by_key: dict[str, dict[str, Any]] = {}
        for record in records:
            by_key.setdefault(item_key(record), record)  # a feed listing an item twice
        with self.engine.connect() as conn:
            new = feeds.unseen(conn, feed.id, by_key)
        handled: list[tuple[str, str | None]] = []
        for key, record in by_key.items():
            if key not in new:
                continue
            shaped = self._full_text(shape(record, feed.url, feed.lang))
            origin = {"source": feed.url, "item": key}
            try:
                article = to_article(shaped, self.max_article_bytes)
            except RejectedMessage as error:
                log.warning("rejected", reason=error.reason, detail=error.detail, **origin)
                self.publisher.reject(error, origin, shaped)
                # Remembered all the same: the same bad item is not dead-lettered every poll.
                handled.append((key, None))
                continue
            self.publisher.article(article)
            handled.append((key, article.id))
        self.publisher.flush()
        return handled

    def _full_text(self, record: dict[str, Any]) -> dict[str, Any]:
        """The item with its page's body when it carries only a summary; as it is when the
        page cannot be had (the summary is still news, and the failure is logged)."""
        if not needs_page(record, self.min_chars):
            return record
        url = str(record["url"])
        try:
            answer = fetch(
                self._client, url, guard=self.guard, limits=self.limits, accept=PAGE_ACCEPT
            )
            media = answer.content_type.split(";", 1)[0].strip().lower()
            if answer.status != 200 or media not in PAGE_TYPES:
                raise FetchFailed("not_a_page", f"{answer.status} {media or 'no type'}")
        except FetchFailed as failure:
            self.counts["pages_failed"] += 1
            log.warning("page not fetched", url=url, reason=failure.reason, detail=failure.detail)
            return record
        page = extract_page(answer.body, answer.url)
        if page is None:
            self.counts["pages_failed"] += 1
            log.warning("page has no article body", url=url)
            return record
        self.counts["pages_fetched"] += 1
        return merge(record, page)

    def _failed(self, feed: feeds.DueFeed, now: dt.datetime, failure: FetchFailed) -> None:
        self.counts["failed"] += 1
        self.counts[f"failed.{failure.reason}"] += 1
        due = next_due(now, feed.every_seconds, feed.failures + 1, self.backoff_cap)
        log.warning("feed failed", feed=feed.url, reason=failure.reason, detail=failure.detail)
        with self.engine.begin() as conn:
            feeds.record_failure(conn, feed.id, now=now, due=due, error=str(failure))

    def run(self, stop: threading.Event, *, progress: bool = True) -> None:
        """Poll until `stop` is set, sleeping between due feeds at most `feed_poll_seconds`."""
        bar = tqdm(unit=" items", desc="poll", disable=not progress)
        try:
            while not stop.is_set():
                before = self.counts["items_new"]
                try:
                    self.poll_due()
                    with self.engine.connect() as conn:
                        wait = feeds.seconds_to_next_due(conn, self.clock())
                except Exception:  # the database away: wait and try again, never exit
                    log.exception("poll round failed")
                    wait = None
                bar.update(self.counts["items_new"] - before)
                pause = self.poll_seconds if wait is None else min(wait, self.poll_seconds)
                stop.wait(max(pause, 0.05))
        finally:
            bar.close()
