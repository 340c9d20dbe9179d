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


# Two other stories' openings, long enough to read as body text: trafilatura alone keeps
# them when their box is marked only by its class or id.
TEASERS = (
    "Peru and Bolivia signed a border accord on Friday after a decade of talks, settling the"
    " line across the high plain and opening two new crossings for trucks. Negotiators from"
    " both capitals said the text would go to their parliaments next month, and traders in"
    " the border towns welcomed the news.",
    "Egypt reopened its consulate in Benghazi on Sunday, ending a closure of several years."
    " The foreign ministry in Cairo said consular staff would first serve Egyptian workers in"
    " eastern Libya and later issue visas, and that the move followed talks with local"
    " authorities on the safety of the mission.",
)


@pytest.mark.parametrize(
    "box",
    ['<div class="more">', '<section class="related-articles">', '<div id="Read-Also">'],
)
def test_a_box_of_other_stories_below_the_article_is_cut(box: str) -> None:
    html = pages.article_page(
        title="Norway imposes sanctions on Belarus",
        body=pages.ENGLISH_BODY,
        nav=pages.ENGLISH_NAV,
        sidebar=pages.ENGLISH_SIDEBAR,
        footer=pages.ENGLISH_FOOTER,
        lang="en",
        canonical="https://ledger.example/a",
        date="2026-03-03",
        teasers=TEASERS,
        teaser_box=box,
    )
    page = extract_page(html, "https://ledger.example/a")
    assert page is not None
    assert all(p in page.text for p in pages.ENGLISH_BODY)
    assert not any(t in page.text for t in TEASERS)


def test_words_that_merely_contain_more_do_not_cut_the_article() -> None:
    html = pages.english_page("https://ledger.example/a").replace(
        b"<article>", b'<article class="story moreover-layout">'
    )
    page = extract_page(html, "https://ledger.example/a")
    assert page is not None and pages.ENGLISH_BODY[0] in page.text
