"""The detector's work per article is bounded: hostile text of triggers stays cheap, and the
fast overlap checks choose exactly what a pairwise comparison would."""

from __future__ import annotations

from itertools import combinations

import pytest

import streams.detect.detector as detector
import streams.detect.instances as instances
from models.events import Article
from streams.detect.rules import language_rules
from streams.detect.triggers import Hit, anchor_positions, find_hits, find_loose_hits

# Our own sentences, dense in triggers and in anchors that no pattern takes.
EN = (
    "Canada imposed sanctions on Iran, the sanctions regime of Oman, "
    "and Peru expelled the ambassador of Chile; oil from Angola, "
)
AR = "فرضت كندا عقوبات على إيران والعقوبات على عمان وطردت بيرو سفير تشيلي ونفط أنغولا، "


def _pairwise_loose(lang: str, text: str, hits: list[Hit]) -> list[tuple[int, int, str]]:
    rules = language_rules(lang)
    out: list[tuple[int, int, str]] = []
    for start, end, anchor in anchor_positions(rules, text):
        kinds = rules.loose.get(anchor)
        if kinds and not any(start < h.end and end > h.start for h in hits):
            out += [(start, end, t.trigger.type) for t in kinds]
    return out


@pytest.mark.parametrize(("lang", "unit"), [("en", EN), ("ar", AR)])
def test_hits_do_not_nest_and_loose_anchors_fall_outside_them(lang: str, unit: str) -> None:
    rules = language_rules(lang)
    text = unit * 300
    anchors = anchor_positions(rules, text)
    hits = find_hits(rules, text, anchors)
    assert len(hits) > 300
    assert [h.start for h in hits] == sorted(h.start for h in hits)
    assert not any(
        (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)
        for a, b in combinations(hits[:400], 2)
    )
    loose = find_loose_hits(rules, anchors, hits)
    assert loose
    assert [(h.start, h.end, h.trigger.trigger.type) for h in loose] == _pairwise_loose(
        lang, text, hits
    )


def test_an_article_made_of_triggers_is_read_up_to_the_hit_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read: list[int] = []
    real = instances.read_instances  # what the detector calls, by the name it imported

    def counting(reader: object, readings: list[object]) -> object:
        read.append(len(readings))
        return real(reader, readings)  # type: ignore[arg-type]

    monkeypatch.setattr(detector, "read_instances", counting)
    events = detector.detect(Article(id="hostile", text=EN * 3000, lang="en"))
    assert read == [detector.MAX_HITS]
    assert ("CA", "IR") in {(e.actor, e.target) for e in events if e.type == "sanction.imposed"}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # The lifting holds the bare noun "sanctions", itself a reading of imposed sanctions.
        ("en", "Washington lifted the sanctions it had imposed on Cuba."),
        # The call for a lifting lies within a longer imposing reading and outranks it.
        ("ar", "وطالبت روسيا برفع العقوبات المفروضة على سوريا."),
    ],
)
def test_a_reading_held_within_another_gives_way(lang: str, text: str) -> None:
    rules = language_rules(lang)
    hits = find_hits(rules, text, anchor_positions(rules, text))
    assert [h.trigger.trigger.type for h in hits] == ["sanction.lifted"]
