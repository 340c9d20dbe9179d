"""Feed items: content types, keys (GUID, else URL, else text), article ids, the summary rule."""

from __future__ import annotations

import pytest

from streams.feeds.items import article_id, is_feed_type, item_key, shape
from streams.ingest.fulltext import needs_page

FEED = "https://news.example/rss"


@pytest.mark.parametrize(
    "content_type",
    [
        "application/rss+xml",
        "application/atom+xml; charset=utf-8",
        "text/xml",
        "application/xml",
        "application/rdf+xml",
        "",
    ],
)
def test_xml_types_and_none_are_read_as_feeds(content_type: str) -> None:
    assert is_feed_type(content_type)


@pytest.mark.parametrize(
    "content_type", ["text/html; charset=utf-8", "application/json", "application/octet-stream"]
)
def test_other_types_are_not_feeds(content_type: str) -> None:
    assert not is_feed_type(content_type)


def test_the_key_is_the_guid_else_the_url_else_the_text() -> None:
    assert item_key({"id": "g-1", "url": "https://a.example/1", "text": "t"}) == "g-1"
    assert (
        item_key({"id": None, "url": "https://a.example/1", "text": "t"}) == "https://a.example/1"
    )
    by_text = item_key({"text": "The talks resumed."})
    assert by_text.startswith("sha256:")
    assert by_text == item_key({"text": "The  talks resumed. "})


def test_bare_guids_are_qualified_by_their_feed_and_urls_are_not() -> None:
    assert article_id(FEED, "12345") == f"{FEED}#12345"
    assert article_id("https://other.example/rss", "12345") != article_id(FEED, "12345")
    assert article_id(FEED, "https://news.example/a/1") == "https://news.example/a/1"
    assert article_id(FEED, "urn:uuid:1b4e28ba") == "urn:uuid:1b4e28ba"


def test_overlong_ids_become_a_hash_that_fits() -> None:
    long_key = "https://news.example/" + "a" * 600
    made = article_id(FEED, long_key)
    assert made.startswith("sha256:") and len(made) <= 512
    assert made == article_id(FEED, long_key)


def test_the_language_given_at_add_wins_over_the_feeds_own() -> None:
    record = {"id": "7", "text": "x", "lang": "en"}
    assert shape(record, FEED, "ar") == {"id": f"{FEED}#7", "text": "x", "lang": "ar"}
    assert shape(record, FEED, None)["lang"] == "en"


def test_a_short_item_with_a_link_is_a_summary() -> None:
    assert needs_page({"url": "https://a.example/1", "text": "Two lines."}, 600)
    assert needs_page({"url": "https://a.example/1", "text": "   "}, 600)


def test_a_long_item_or_one_without_a_web_link_is_published_as_it_is() -> None:
    assert not needs_page({"url": "https://a.example/1", "text": "word " * 200}, 600)
    assert not needs_page({"text": "Two lines."}, 600)
    assert not needs_page({"url": "ftp://a.example/1", "text": "Two lines."}, 600)
    assert not needs_page({"url": "https://a.example/1", "text": "Two lines."}, 0)
