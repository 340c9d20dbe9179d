"""Feeds and article pages written for the feed tests: RSS and Atom documents built from
items, and news pages in English and Arabic wrapped in a site's navigation, related-stories
sidebar and footer, whose sentences must never reach the detector."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

ENGLISH_BODY = [
    "Norway announced on Tuesday that it would impose new sanctions on Belarus, freezing the"
    " assets of four state companies and barring their directors from entering the country.",
    "The foreign ministry in Oslo said the measures answer the detention of two journalists and"
    " would stay in force until both are released and allowed to leave.",
    "Officials in Minsk called the decision hostile and said they would study a response, while"
    " trade between the two states has fallen sharply over the past year.",
]
ENGLISH_NAV = "Home World Business Markets Sport Weather Subscribe Sign in"
ENGLISH_SIDEBAR = [
    "Related stories: Chile cuts diplomatic ties with Nicaragua after envoy row",
    "Most read: Japan resumes oil purchases from Venezuela",
]
ENGLISH_FOOTER = "Copyright 2026 The Harbour Ledger. All rights reserved. Privacy policy."

ARABIC_BODY = [
    "أعلنت الكويت يوم الأربعاء استئناف علاقاتها الدبلوماسية مع لبنان بعد قطيعة دامت عامين،"
    " وقالت وزارة الخارجية إن السفير سيعود إلى بيروت خلال أيام.",
    "وأوضح بيان رسمي أن القرار جاء بعد محادثات مطولة بين الجانبين تناولت أمن الحدود وتبادل"
    " المعلومات ووقف الحملات الإعلامية المتبادلة.",
    "ورحب مسؤولون لبنانيون بالخطوة ووصفوها بأنها بداية مرحلة جديدة في العلاقات بين البلدين.",
]
ARABIC_NAV = "الرئيسية أخبار اقتصاد رياضة منوعات اتصل بنا"
ARABIC_SIDEBAR = [
    "أخبار ذات صلة: المغرب يقطع علاقاته مع إيران",
    "الأكثر قراءة: فرنسا تفرض عقوبات جديدة على سوريا",
]
ARABIC_FOOTER = "جميع الحقوق محفوظة لصحيفة الساحل 2026"


def article_page(
    *,
    title: str,
    body: list[str],
    nav: str,
    sidebar: list[str],
    footer: str,
    lang: str,
    canonical: str,
    date: str,
    teasers: tuple[str, ...] = (),
    teaser_box: str = '<div class="more">',
) -> bytes:
    """A news page as sites make them: the article among navigation, sidebar and footer, and
    below it, when given, a box of other stories' opening lines as plain paragraphs."""
    direction = "rtl" if lang == "ar" else "ltr"
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in body)
    related = "\n".join(
        f'<li><a href="/other/{i}">{escape(s)}</a></li>' for i, s in enumerate(sidebar)
    )
    tag = teaser_box[1:].split(maxsplit=1)[0].rstrip(">")
    more = "".join(f"{teaser_box}<p>{escape(t)}</p></{tag}>" for t in teasers)
    links = " ".join(f'<a href="/{i}">{escape(word)}</a>' for i, word in enumerate(nav.split()))
    return f"""<!DOCTYPE html>
<html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">
<title>{escape(title)}</title>
<link rel="canonical" href="{escape(canonical)}">
<meta property="og:title" content="{escape(title)}">
<meta property="article:published_time" content="{date}T08:30:00Z">
</head><body>
<header><nav class="menu">{links}</nav></header>
<main>
<article>
<h1>{escape(title)}</h1>
<time datetime="{date}">{date}</time>
{paragraphs}
</article>
<aside class="related"><h2>Related</h2><ul>{related}</ul></aside>
{more}
</main>
<footer><p>{escape(footer)}</p></footer>
</body></html>""".encode()


def english_page(canonical: str) -> bytes:
    return article_page(
        title="Norway imposes sanctions on Belarus",
        body=ENGLISH_BODY,
        nav=ENGLISH_NAV,
        sidebar=ENGLISH_SIDEBAR,
        footer=ENGLISH_FOOTER,
        lang="en",
        canonical=canonical,
        date="2026-03-03",
    )


def arabic_page(canonical: str) -> bytes:
    return article_page(
        title="الكويت تستأنف علاقاتها مع لبنان",
        body=ARABIC_BODY,
        nav=ARABIC_NAV,
        sidebar=ARABIC_SIDEBAR,
        footer=ARABIC_FOOTER,
        lang="ar",
        canonical=canonical,
        date="2026-03-04",
    )


@dataclass(frozen=True)
class Item:
    guid: str | None
    title: str
    link: str | None
    text: str
    date: str = "Mon, 02 Mar 2026 09:00:00 GMT"


def rss(title: str, items: list[Item], *, lang: str = "en") -> bytes:
    entries = []
    for item in items:
        guid = f'<guid isPermaLink="false">{escape(item.guid)}</guid>' if item.guid else ""
        link = f"<link>{escape(item.link)}</link>" if item.link else ""
        entries.append(
            f"<item>{guid}<title>{escape(item.title)}</title>{link}"
            f"<pubDate>{item.date}</pubDate><description>{escape(item.text)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><language>{lang}</language><link>https://x.example/</link>"
        + "".join(entries)
        + "</channel></rss>"
    ).encode()


def atom(title: str, items: list[Item], *, lang: str = "ar") -> bytes:
    entries = []
    for item in items:
        link = f'<link rel="alternate" href="{escape(item.link)}"/>' if item.link else ""
        entries.append(
            f"<entry><id>{escape(item.guid or '')}</id><title>{escape(item.title)}</title>{link}"
            f"<updated>2026-03-02T09:00:00Z</updated>"
            f'<content type="html">{escape(item.text)}</content></entry>'
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"'
        f' xml:lang="{lang}"><title>{escape(title)}</title><id>urn:feed:{escape(title)}</id>'
        "<updated>2026-03-02T09:00:00Z</updated>" + "".join(entries) + "</feed>"
    ).encode()
