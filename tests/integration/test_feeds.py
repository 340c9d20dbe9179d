"""The feed poller end to end: a real HTTP site on 127.0.0.1, PostgreSQL and Kafka.

Two feeds are followed; the first poll publishes their items (summaries replaced by their
pages' bodies), the second publishes only what changed and reads nothing of a feed that
answers 304, a dead feed waits longer after each failure, and hostile answers publish
nothing."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from models.feeds import FeedHealth
from streams.feeds import repository as feeds
from streams.ingest.poll import Poller
from streams.ingest.publish import Publisher
from streams.settings import Settings
from streams.ssrf import check_url
from streams.topics import Topics, ensure_topics
from tests import feed_pages as pages
from tests.feed_pages import Item
from tests.integration.conftest import wait_for
from tests.integration.feeds_support import Clock, read_topic
from tests.site import Route, Site, serve

pytestmark = pytest.mark.integration

ENGLISH_SUMMARY = "Oslo announces measures against Minsk over detained reporters."
EXTRA_SUMMARY = "A third short teaser from the wire desk."
ARABIC_FULL = " ".join(pages.ARABIC_BODY)
STAMP = "Mon, 02 Mar 2026 09:00:00 GMT"


@pytest.fixture
def site() -> Iterator[Site]:
    yield from serve()


@pytest.fixture
def feed_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "allow_private_urls": True,  # the test site is on 127.0.0.1
            "feed_timeout": 3.0,
            "feed_max_bytes": 256 * 1024,
            "full_text_min_chars": 300,
            "feed_backoff_cap": 3600.0,
        }
    )


@pytest.fixture
def publisher(feed_settings: Settings) -> Iterator[Publisher]:
    assert feed_settings.kafka_bootstrap
    topics = Topics.from_settings(feed_settings)
    ensure_topics(feed_settings.kafka_bootstrap, topics, feed_settings)
    made = Publisher(
        feed_settings.kafka_bootstrap, topics, single_record_batches=feed_settings.broker == "tansu"
    )
    yield made
    made.close()


def english_feed(site: Site, count: int) -> bytes:
    items = [
        Item(f"ledger-{i}", f"Story {i}", site.url(f"/en/{i}.html"), ENGLISH_SUMMARY)
        for i in range(1, count + 1)
    ]
    return pages.rss("The Harbour Ledger", items, lang="en")


def serve_english(site: Site, count: int) -> None:
    site.routes["/en.rss"] = Route(body=english_feed(site, count), etag=f'"en-v{count}"')
    for i in range(1, count + 1):
        site.routes[f"/en/{i}.html"] = Route(
            body=pages.english_page(f"https://ledger.example/2026/story-{i}"),
            content_type="text/html; charset=utf-8",
        )


def serve_arabic(site: Site) -> None:
    items = [Item(f"urn:sahil:{i}", f"خبر {i}", site.url(f"/ar/{i}"), ARABIC_FULL) for i in (1, 2)]
    site.routes["/ar.atom"] = Route(
        body=pages.atom("صحيفة الساحل", items),
        content_type="application/atom+xml",
        last_modified=STAMP,
    )


def health(engine: Engine, url: str) -> FeedHealth:
    with engine.connect() as conn:
        found = feeds.get(conn, url)
    assert found is not None
    return found


def follow(engine: Engine, url: str, every: int, lang: str | None = None) -> None:
    with engine.begin() as conn:
        feeds.add(conn, url, every, lang)


def make_poller(
    engine: Engine, publisher: Publisher, settings: Settings, clock: Clock, **kw: object
) -> Poller:
    poller = Poller(engine, publisher, settings, clock=clock, **kw)  # type: ignore[arg-type]
    with engine.begin() as conn:  # feeds added "now" by the database are due at the test's time
        conn.execute(text("UPDATE feeds SET next_due_at = :t"), {"t": clock.now})
    return poller


def test_two_feeds_new_items_once_and_304_costs_no_parsing(
    engine: Engine, feed_settings: Settings, publisher: Publisher, site: Site
) -> None:
    clock = Clock()
    serve_english(site, 2)
    serve_arabic(site)
    follow(engine, site.url("/en.rss"), 300)
    follow(engine, site.url("/ar.atom"), 300, lang="ar")
    poller = make_poller(engine, publisher, feed_settings, clock)
    topics = Topics.from_settings(feed_settings)
    try:
        assert poller.poll_due() == 2
        first = {a["id"]: a for a in read_topic(feed_settings, topics.articles)}
        assert set(first) == {
            site.url("/en.rss") + "#ledger-1",
            site.url("/en.rss") + "#ledger-2",
            "urn:sahil:1",
            "urn:sahil:2",
        }
        english = first[site.url("/en.rss") + "#ledger-1"]
        # The summary was replaced by its page's body, and nothing of the page's chrome.
        assert all(p in english["text"] for p in pages.ENGLISH_BODY)
        assert ENGLISH_SUMMARY not in english["text"]
        for boilerplate in (*pages.ENGLISH_SIDEBAR, pages.ENGLISH_FOOTER, pages.ENGLISH_NAV):
            assert boilerplate not in english["text"]
        assert english["url"] == "https://ledger.example/2026/story-1"
        assert (english["title"], english["lang"], english["published_at"]) == (
            "Story 1",
            "en",
            "2026-03-02",
        )
        arabic = first["urn:sahil:1"]
        assert (arabic["text"], arabic["lang"]) == (ARABIC_FULL, "ar")
        assert site.hits["/ar/1"] == 0  # a whole article in the feed: its page is not fetched
        assert poller.counts["parsed"] == 2
        assert poller.counts["pages_fetched"] == 2

        # The English feed gains an item; the Arabic one is unchanged and answers 304.
        serve_english(site, 3)
        clock.advance(301)
        assert poller.poll_due() == 2
        assert poller.counts["not_modified"] == 1
        assert poller.counts["parsed"] == 3  # the 304 was not parsed
        requests = dict(site.requests[-4:])
        assert requests["/ar.atom"]["If-Modified-Since"] == STAMP
        assert requests["/en.rss"]["If-None-Match"] == '"en-v2"'
        after = read_topic(feed_settings, topics.articles)
        new = [a["id"] for a in after if a["id"] not in first]
        assert new == [site.url("/en.rss") + "#ledger-3"]
        assert len(after) == 5  # nothing published twice
        assert site.hits["/en/1.html"] == 1  # nor fetched twice

        en, ar = health(engine, site.url("/en.rss")), health(engine, site.url("/ar.atom"))
        assert (en.items_seen, ar.items_seen) == (3, 2)
        assert en.last_success_at == clock.now and ar.last_success_at == clock.now
        assert en.next_due_at == clock.now + dt.timedelta(seconds=300)
        assert poller.poll_due() == 0  # nothing is due until the interval has passed
    finally:
        poller.close()


def test_a_dead_feed_backs_off_then_recovers(
    engine: Engine, feed_settings: Settings, publisher: Publisher, site: Site
) -> None:
    clock = Clock()
    site.routes["/dead.rss"] = Route(status=503, body=b"down for maintenance")
    url = site.url("/dead.rss")
    follow(engine, url, 60)
    poller = make_poller(engine, publisher, feed_settings, clock)
    try:
        waits = []
        for _ in range(4):
            poller.poll_due()
            found = health(engine, url)
            waits.append((found.next_due_at - clock.now).total_seconds())
            clock.at(found.next_due_at)
        assert waits == [120, 240, 480, 960]
        assert found.failures == 4 and found.last_success_at is None
        assert found.last_error and found.last_error.startswith("http_503")

        serve_english(site, 1)
        site.routes["/dead.rss"] = site.routes["/en.rss"]
        poller.poll_due()
        back = health(engine, url)
        assert back.failures == 0 and back.last_success_at == clock.now
        assert (back.next_due_at - clock.now).total_seconds() == 60
        assert back.last_error and back.last_error.startswith("http_503")  # kept for the record
    finally:
        poller.close()


def test_hostile_feeds_publish_nothing_and_bad_items_are_dead_lettered(
    engine: Engine, feed_settings: Settings, publisher: Publisher, site: Site
) -> None:
    clock = Clock()
    with Site() as private:
        private.routes["/internal"] = Route(body=pages.rss("x", []))
        private.routes["/page"] = Route(body=pages.english_page("https://x.example/"))
        site.routes["/garbage.rss"] = Route(body=b"\x89PNG\r\n\x1a\n<<<< not a feed >>>>" * 50)
        site.routes["/huge.rss"] = Route(endless=10 * 1024 * 1024)
        site.routes["/moved.rss"] = Route(status=302, location=private.url("/internal"))
        site.routes["/html.rss"] = Route(
            body=b"<html><body>Sign in</body></html>", content_type="text/html"
        )
        # One good item, one with nothing to read, one whose page redirects inside.
        site.routes["/mixed.rss"] = Route(
            body=pages.rss(
                "Mixed",
                [
                    Item("ok-1", "Fine", None, " ".join(pages.ENGLISH_BODY)),
                    Item("empty-1", "Nothing", None, ""),
                    Item("inside-1", "Teaser", site.url("/to-private"), "A short teaser."),
                ],
            )
        )
        site.routes["/to-private"] = Route(status=301, location=private.url("/page"))
        for path in ("/garbage.rss", "/huge.rss", "/moved.rss", "/html.rss", "/mixed.rss"):
            follow(engine, site.url(path), 60)

        # The test site stands for the public web; anything else meets the real rule.
        def guard(url: str) -> object:
            return None if url.startswith(site.base + "/") else check_url(url, allow_private=False)

        poller = make_poller(engine, publisher, feed_settings, clock, guard=guard)
        try:
            assert poller.poll_due() == 5
        finally:
            poller.close()
        assert private.hits == {}  # neither the feed's nor the page's redirect got through

    reasons = {
        path: (health(engine, site.url(path)).last_error or "").split(":")[0]
        for path in ("/garbage.rss", "/huge.rss", "/moved.rss", "/html.rss")
    }
    assert reasons == {
        "/garbage.rss": "not_a_feed",
        "/huge.rss": "too_large",
        "/moved.rss": "unsafe_url",
        "/html.rss": "not_a_feed",
    }
    topics = Topics.from_settings(feed_settings)
    published = read_topic(feed_settings, topics.articles)
    mixed = site.url("/mixed.rss")
    assert sorted(a["id"] for a in published) == [f"{mixed}#inside-1", f"{mixed}#ok-1"]
    teaser = next(a for a in published if a["id"].endswith("inside-1"))
    assert teaser["text"] == "A short teaser."  # its page refused: the summary stands
    letters = read_topic(feed_settings, topics.deadletter)
    assert [(x["stage"], x["reason"], x["origin"]) for x in letters] == [
        ("ingest", "no_text", {"source": mixed, "item": "empty-1"})
    ]
    assert health(engine, mixed).items_seen == 3  # the bad item is not rejected again


def test_the_poll_loop_polls_due_feeds_until_stopped(
    engine: Engine, feed_settings: Settings, publisher: Publisher, site: Site
) -> None:
    serve_arabic(site)
    follow(engine, site.url("/ar.atom"), 10, lang="ar")
    quick = feed_settings.model_copy(update={"feed_poll_seconds": 0.2})
    poller = Poller(engine, publisher, quick)  # the real clock
    stop = threading.Event()
    loop = threading.Thread(target=poller.run, args=(stop,), kwargs={"progress": False})
    loop.start()
    try:
        wait_for(lambda: poller.counts["items_new"] == 2, 30, "the loop to publish two items")
        assert site.hits["/ar.atom"] == 1  # due again only after its ten seconds
    finally:
        stop.set()
        loop.join(timeout=10)
        poller.close()
    assert not loop.is_alive()
