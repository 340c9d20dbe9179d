"""From a fetched feed to the records to publish: the content types we read, each item's key
and article id, and the language the user chose. Pure."""

from __future__ import annotations

import hashlib
from typing import Any

from models.ids import text_id

# A feed is XML; a server that answers HTML or JSON for a feed URL is a login wall, an error
# page or a moved site, and reading it as a feed would only make bozo noise. An answer with
# no type at all is read, since some small servers send none.
FEED_TYPES = ("xml", "rss", "atom", "rdf")


def is_feed_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return not media or any(word in media for word in FEED_TYPES)


def item_key(record: dict[str, Any]) -> str:
    """What makes an item the same item on the next poll: its GUID, else its URL, else (an
    item with neither) its text."""
    for field in ("id", "url"):
        value = record.get(field)
        if isinstance(value, str) and value.strip():
            return value.strip()
    text = record.get("text")
    return text_id(text) if isinstance(text, str) and text.strip() else "empty"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def article_id(feed_url: str, key: str) -> str:
    """A URL or URN GUID names the article everywhere; a bare one ("12345") only inside its
    feed, so it is qualified with the feed's URL and two outlets' item 12345 stay apart."""
    named = key if ":" in key else f"{feed_url}#{key}"
    # Article ids are at most 512 characters; a longer name keeps its identity as a hash.
    return named if len(named) <= 512 else "sha256:" + key_hash(named)[:32]


def feed_id(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]


def shape(record: dict[str, Any], feed_url: str, lang: str | None) -> dict[str, Any]:
    """The record as the ingest path validates it: its article id, and the language the
    feed was added with, which wins over whatever the feed declares."""
    shaped = {**record, "id": article_id(feed_url, item_key(record))}
    if lang:
        shaped["lang"] = lang
    return shaped
