"""A page is reduced to its article: no navigation, related stories or footer; its title,
date, canonical URL and language are kept."""

from __future__ import annotations

import pytest

from streams.ingest.fulltext import Page, extract_page, merge
from tests import feed_pages as pages

CASES = [
    (
        pages.english_page("https://ledger.example/2026/norway-belarus"),
        "https://ledger.example/2026/norway-belarus",
        pages.ENGLISH_BODY,
        [pages.ENGLISH_NAV, *pages.ENGLISH_SIDEBAR, pages.ENGLISH_FOOTER],
        ("Norway imposes sanctions on Belarus", "2026-03-03", "en"),
    ),
    (
        pages.arabic_page("https://sahil.example/2026/kuwait-lebanon"),
        "https://sahil.example/2026/kuwait-lebanon",
        pages.ARABIC_BODY,
        [pages.ARABIC_NAV, *pages.ARABIC_SIDEBAR, pages.ARABIC_FOOTER],
        ("الكويت تستأنف علاقاتها مع لبنان", "2026-03-04", "ar"),
    ),
]


@pytest.mark.parametrize(("html", "canonical", "body", "boilerplate", "meta"), CASES)
def test_the_page_is_reduced_to_its_body(
    html: bytes,
    canonical: str,
    body: list[str],
    boilerplate: list[str],
    meta: tuple[str, str, str],
) -> None:
    page = extract_page(html, "https://feeds.example/click?id=9&utm_source=rss")
    assert page is not None
    for paragraph in body:
        assert paragraph in page.text
    for words in boilerplate:
        # Not one sidebar headline, menu word run or footer line survives.
        assert words not in page.text
    for word in boilerplate[0].split()[1:]:
        assert f"\n{word}\n" not in f"\n{page.text}\n"
    assert (page.title, page.published_at, page.lang) == meta
    assert page.url == canonical


def test_a_page_without_an_article_gives_nothing() -> None:
    html = b"<html><body><nav><a href='/'>Home</a></nav><p>Cookies?</p></body></html>"
    assert extract_page(html, "https://a.example/") is None
    assert extract_page(b"\x00\xff not html at all", "https://a.example/") is None


def test_merge_keeps_the_feeds_fields_and_fills_the_rest() -> None:
    page = Page("Body text.", "Page title", "2026-03-03", "https://a.example/canon", "en")
    record = {"id": "x", "text": "Teaser.", "url": "https://a.example/c?utm=1", "title": "Feed"}
    assert merge(record, page) == {
        "id": "x",
        "text": "Body text.",
        "url": "https://a.example/canon",
        "title": "Feed",
        "published_at": "2026-03-03",
        "lang": "en",
    }
    dated = {**record, "published_at": "2026-03-01", "lang": "ar"}
    merged = merge(dated, page)
    assert (merged["published_at"], merged["lang"]) == ("2026-03-01", "ar")
