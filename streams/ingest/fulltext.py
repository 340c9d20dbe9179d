"""Full text for feed items that carry only a summary: the rule, the extraction and the merge.
Pure: the page's bytes come from the fetcher.

The rule: an item is a summary when it links to a page and its text (the feed's content, else
its description, without markup) is shorter than `DYADWATCH_FULL_TEXT_MIN_CHARS` (600 by
default). Feeds that carry whole articles clear that length and are published as they are;
two-line teasers do not, and are replaced by the body of their page.

The body is what trafilatura keeps of the page, once the boxes of other stories are cut: the
article's paragraphs, without the site's navigation, related-stories boxes, comments or
footer, which would otherwise reach the detector as if the article said them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import trafilatura

# Boxes of other stories that sites print inside or below the article, named by the words
# their class or id carry. trafilatura drops menus, link lists and footers by itself, but
# keeps a box of plain teaser paragraphs as if the article went on; these are cut first.
# An unmarked box is still read as body: that is the known limit of any extractor here.
OTHER_STORY_MARKERS = (
    "related",
    "more-stories",
    "more_stories",
    "morestories",
    "read-also",
    "read_also",
    "see-also",
    "recommend",
    "most-read",
    "mostread",
    "popular",
    "trending",
    "teaser",
    "outbrain",
    "taboola",
)
_OTHER_STORY_TOKENS = ("more",)  # too short to match inside other words: whole tokens only


def _other_stories_xpath() -> str:
    tests = [
        f"contains(translate(@{attr}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),"
        f" '{marker}')"
        for marker in OTHER_STORY_MARKERS
        for attr in ("class", "id")
    ]
    tests += [
        f"contains(concat(' ', normalize-space(@{attr}), ' '), ' {token} ')"
        for token in _OTHER_STORY_TOKENS
        for attr in ("class", "id")
    ]
    return "//*[not(self::body) and not(self::html) and (" + " or ".join(tests) + ")]"


PRUNE_OTHER_STORIES = _other_stories_xpath()

# Below this the extraction found a caption or a cookie notice, not an article.
MIN_BODY_CHARS = 80
# The language a page declares on its root element; trafilatura leaves it out of its metadata.
_HTML_LANG = re.compile(rb"<html\b[^>]*?\slang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


@dataclass(frozen=True)
class Page:
    """What an article page gives beside its body."""

    text: str
    title: str | None
    published_at: str | None  # ISO date
    url: str | None  # the canonical URL the page declares
    lang: str | None


def needs_page(record: dict[str, Any], min_chars: int) -> bool:
    """True for an item with a link whose own text is too short to be the article."""
    url = record.get("url")
    text = record.get("text")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return False
    return not isinstance(text, str) or len(text.strip()) < min_chars


def extract_page(html: bytes, url: str) -> Page | None:
    """The article of an HTML page, or None when the page holds none we can find."""
    found = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        # Precision over recall: a sidebar headline kept as text is a sentence the detector
        # reads; a paragraph lost costs less.
        favor_precision=True,
        prune_xpath=PRUNE_OTHER_STORIES,
    )
    if found is None:
        return None
    found = found.as_dict() if hasattr(found, "as_dict") else found
    if not isinstance(found, dict):
        return None
    text = (found.get("text") or "").strip()
    if len(text) < MIN_BODY_CHARS:
        return None
    return Page(
        text=text,
        title=_clean(found.get("title")),
        published_at=_iso_date(found.get("date")),
        url=_clean(found.get("url")),
        lang=_lang(found.get("language")) or _declared_lang(html),
    )


def merge(record: dict[str, Any], page: Page) -> dict[str, Any]:
    """The item with its page's body; the feed's own title, date and language stand when it
    gives them, the page's fill what it leaves out, and the canonical URL replaces the link
    (feeds link through trackers and campaign parameters)."""
    merged = {**record, "text": page.text}
    if page.url and page.url.startswith(("http://", "https://")):
        merged["url"] = page.url
    for field, value in (
        ("title", page.title),
        ("published_at", page.published_at),
        ("lang", page.lang),
    ):
        if value and not merged.get(field):
            merged[field] = value
    return merged


def _clean(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _iso_date(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _declared_lang(html: bytes) -> str | None:
    found = _HTML_LANG.search(html[:8192])
    return found.group(1).decode("ascii").lower() if found else None


def _lang(value: object) -> str | None:
    code = _clean(value)
    return code.split("-")[0].split("_")[0].lower() if code else None
