"""Article extractors compared: trafilatura (what the poller uses) and jusText, on news pages
in Arabic and English.

    .venv/bin/python bench/extractors.py [--per-language N] [--seed S]

Each page is a real corpus article (read at run time from ../shared/corpus, never stored)
set into a news site's page: a menu, a related-stories sidebar whose headlines are other
articles' titles or openings, two other articles' opening paragraphs below it in a box
marked as sites mark them (or not marked at all), and a footer. An extractor is scored on
what the detector would read: the share of the article's paragraphs it keeps whole (kept,
averaged over pages), the share of pages where any sidebar headline, other story, menu or
footer line slips into its output (leaked), and its time per page. The two pages the tests
use are scored too.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import justext
import trafilatura

from streams.ingest.fulltext import extract_page
from tests import feed_pages

CORPORA = Path(__file__).resolve().parents[2] / "shared/corpus"
ARABIC = CORPORA / "saudinewsnet-ar.jsonl.gz"
ENGLISH = CORPORA / "news-2025-en.jsonl.gz"
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")
# jusText reads paragraphs against a language's stopwords; these are its names for ours.
STOPLISTS = {"ar": "Arabic", "en": "English"}
# How the box of other stories below the article is marked, one chosen per page; the last
# carries no mark at all.
BOXES = (
    '<section class="related-articles">',
    '<div class="more">',
    '<div id="read-also">',
    '<div class="most-read widget">',
    "<div>",
)


@dataclass(frozen=True)
class Page:
    lang: str
    html: bytes
    body: list[str]
    chrome: list[str]  # the menu, the sidebar's headlines and the footer


def paragraphs(text: str) -> list[str]:
    """The article's own paragraphs, or groups of three sentences when it has no breaks."""
    lines = [line.strip() for line in text.splitlines() if len(line.strip()) > 40]
    if len(lines) >= 2:
        return lines
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    return [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]


def headline(record: dict[str, str | None]) -> str:
    title = (record.get("title") or "").strip()
    if title:
        return title
    return _SENTENCE_END.split((record.get("text") or "").strip(), maxsplit=1)[0][:120]


def read(path: Path) -> list[dict[str, str | None]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def corpus_pages(
    lang: str, records: list[dict[str, str | None]], n: int, rng: random.Random
) -> Iterator[Page]:
    usable = [r for r in records if len(paragraphs(r.get("text") or "")) >= 3]
    nav = feed_pages.ARABIC_NAV if lang == "ar" else feed_pages.ENGLISH_NAV
    footer = feed_pages.ARABIC_FOOTER if lang == "ar" else feed_pages.ENGLISH_FOOTER
    for record in rng.sample(usable, min(n, len(usable))):
        others = [r for r in rng.sample(usable, 6) if r is not record][:5]
        sidebar = [h for h in map(headline, others[:3]) if len(h) > 20]
        # Two more stories' opening paragraphs below the article, as many sites print them.
        teasers = tuple(paragraphs(r.get("text") or "")[0] for r in others[3:5])
        box = rng.choice(BOXES)
        body = paragraphs(record.get("text") or "")
        html = feed_pages.article_page(
            title=headline(record),
            body=body,
            nav=nav,
            sidebar=sidebar,
            footer=footer,
            lang=lang,
            canonical=str(record.get("url") or "https://example.org/"),
            date=str(record.get("published_at") or "2025-01-01"),
            teasers=teasers,
            teaser_box=box,
        )
        yield Page(lang, html, body, [nav, footer, *sidebar, *teasers])


def test_pages() -> list[Page]:
    return [
        Page(
            "en",
            feed_pages.english_page("https://ledger.example/a"),
            feed_pages.ENGLISH_BODY,
            [feed_pages.ENGLISH_NAV, feed_pages.ENGLISH_FOOTER, *feed_pages.ENGLISH_SIDEBAR],
        ),
        Page(
            "ar",
            feed_pages.arabic_page("https://sahil.example/a"),
            feed_pages.ARABIC_BODY,
            [feed_pages.ARABIC_NAV, feed_pages.ARABIC_FOOTER, *feed_pages.ARABIC_SIDEBAR],
        ),
    ]


def with_trafilatura(page: Page) -> str:
    found = extract_page(page.html, "https://example.org/a")
    return found.text if found else ""


def with_trafilatura_recall(page: Page) -> str:
    return trafilatura.extract(page.html, include_comments=False, favor_recall=True) or ""


def with_justext(page: Page) -> str:
    kept = justext.justext(page.html, justext.get_stoplist(STOPLISTS[page.lang]))
    return "\n".join(p.text for p in kept if not p.is_boilerplate)


EXTRACTORS: dict[str, Callable[[Page], str]] = {
    "trafilatura (precision, as shipped)": with_trafilatura,
    "trafilatura (recall)": with_trafilatura_recall,
    "justext": with_justext,
}


def squash(text: str) -> str:
    return " ".join(text.split())


def score(pages: list[Page], extract: Callable[[Page], str]) -> tuple[float, float, float]:
    kept = 0.0
    leaked = 0
    extract(pages[0])  # parsers and caches warmed, so the first extractor pays no more
    start = time.perf_counter()
    for page in pages:
        out = squash(extract(page))
        # Per page, then averaged: one scraped page of 5,000 paragraphs must not outweigh
        # all the others.
        kept += sum(squash(p) in out for p in page.body) / len(page.body)
        leaked += any(squash(c) in out for c in page.chrome if c)
    per_page = (time.perf_counter() - start) / max(len(pages), 1)
    return kept / max(len(pages), 1), leaked / max(len(pages), 1), per_page * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-language", type=int, default=150)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sets = {
        "Arabic (SaudiNewsNet)": list(corpus_pages("ar", read(ARABIC), args.per_language, rng)),
        "English (news-2025)": list(corpus_pages("en", read(ENGLISH), args.per_language, rng)),
        "the tests' two pages": test_pages(),
    }
    tqdm.write(f"{'pages':24} {'extractor':38} {'kept':>6} {'leaked':>7} {'ms/page':>8}")
    for name, pages in sets.items():
        for label, extract in tqdm(EXTRACTORS.items(), desc=name, leave=False):
            kept, leaked, ms = score(pages, extract)
            tqdm.write(
                f"{name + f' ({len(pages)})':24} {label:38} {kept:6.1%} {leaked:7.1%} {ms:8.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
