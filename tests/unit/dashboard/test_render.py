"""Pages render every stored text escaped: a hostile sentence, title or name stays text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from streams.dashboard.auth import Viewer
from streams.dashboard.changes import feed_item
from streams.dashboard.display import direction
from streams.dashboard.highlight import segments
from streams.dashboard.render import SECURITY_HEADERS, environment, html
from streams.dashboard.timeline import axis_for, tracks
from streams.web.keys import ApiKey

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quoted"'
VIEWER = Viewer(ApiKey("k1", "<b>name</b>", read_only=True), "t" * 43)


def evidence_row(text: str, lang: str, direction: str) -> dict[str, Any]:
    return {
        "type": "sanction.imposed",
        "status": "occurred",
        "actor": "US",
        "target": "VE",
        "event_date": None,
        "date_precision": None,
        "confidence": 0.9,
        "lang": lang,
        "dir": direction,
        "evidence_text": text,
        "segments": segments(text, [("US", "US")]),
        "article_id": "sha256:abc",
        "title": HOSTILE,
        "url": None,
        "source": HOSTILE,
        "published_at": dt.date(2022, 3, 6),
    }


def render_dyad(evidence: list[dict[str, Any]]) -> str:
    axis = axis_for([], dt.date(2026, 12, 2))
    return (
        environment()
        .get_template("dyad.html")
        .render(
            who=VIEWER,
            page="dyad",
            pair="US-VE",
            codes=["US", "VE"],
            axis=axis,
            tracks=tracks("US-VE", [], [], axis),
            current=[],
            evidence=evidence,
        )
    )


def test_hostile_sentence_renders_inert() -> None:
    page = render_dyad([evidence_row("US said " + HOSTILE, "en", "ltr")])
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert '<mark class="party" title="United States">US</mark>' in page
    assert "&lt;b&gt;name&lt;/b&gt;" in page  # the key's name, in the header


def test_direction_follows_the_language() -> None:
    assert [direction(lang) for lang in ("ar", "fa-IR", "en", "ru", "", None)] == [
        "rtl",
        "rtl",
        "ltr",
        "ltr",
        "ltr",
        "ltr",
    ]


def test_arabic_sentence_carries_its_language_and_direction() -> None:
    page = render_dyad([evidence_row("فرضت US عقوبات", "ar", "rtl")])
    assert '<blockquote class="sentence" lang="ar" dir="rtl">' in page


def test_feed_entry_escapes_the_change() -> None:
    change = {
        "kind": "state",
        "dyad": "US-VE",
        "dimension": "sanctions",
        "actor": "US",
        "target": "VE",
        "state": "active",
        "previous_state": None,
        "valid_from": "2022-03-06",
        "precision": "day",
        "basis": "published",
        "evidence": HOSTILE,
    }
    item = feed_item(change)
    assert item["what"] == "none → active" and item["since"] == "by 2022-03-06"
    assert item["tone"] == "broken"
    macro = environment().get_template("macros.html").module.feed_entry  # type: ignore[attr-defined]
    shown = str(macro({**item, "parties": HOSTILE}))
    assert "<script>" not in shown and "&lt;script&gt;" in shown


def test_pages_forbid_inline_and_foreign_scripts() -> None:
    response = html("sign_in.html", who=None, page="sign-in", refused=True)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert b"unknown or revoked" in response.body
    assert SECURITY_HEADERS["Cache-Control"] == "no-store"
