"""The seed article: its five required events, and nothing with a wrong pair or type."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from models.events import Article, Event
from streams.detect.detector import detect

SEED = Path(__file__).resolve().parents[3] / "shared/seed/venezuela-us-russia-2022-03.ar.txt"

REQUIRED = {
    ("sanction.imposed", "US", "RU", "occurred"),
    ("sanction.imposed", "US", "VE", "occurred"),
    ("relations.severed", "US", "VE", "occurred"),
    ("oil.resumed", "US", "VE", "considered"),
    ("oil.reduced", "RU", "US", "considered"),
}
# "مساعي ... نحو فرض مزيد من العقوبات على روسيا": the further sanctions are sought, and
# "more" says some are in force; the sought ones are the same pair and type, so allowed.
ALLOWED = REQUIRED | {("sanction.imposed", "US", "RU", "considered")}


def _key(event: Event) -> tuple[str, str, str, str]:
    """Relations and oil are compared as unordered pairs, sanctions as directed."""
    if event.type.startswith("sanction."):
        return (event.type, event.actor, event.target, event.status)
    first, second = sorted((event.actor, event.target))
    return (event.type, first, second, event.status)


@pytest.fixture(scope="module")
def seed_events() -> list[Event]:
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}")
    text = SEED.read_text(encoding="utf-8")
    return detect(Article(id="seed", text=text, published_at=dt.date(2022, 3, 7)))


def test_required_events_are_found(seed_events: list[Event]) -> None:
    assert {_key(e) for e in seed_events} >= REQUIRED


def test_nothing_else_is_found(seed_events: list[Event]) -> None:
    assert {_key(e) for e in seed_events} <= ALLOWED


def test_severance_is_dated_by_its_own_sentence(seed_events: list[Event]) -> None:
    [severed] = [e for e in seed_events if e.type == "relations.severed"]
    assert severed.date == "2019"
    assert "2019" in severed.evidence.text


def test_unordered_pairs_name_the_acting_side_first(seed_events: list[Event]) -> None:
    # "وقطعت فنزويلا والولايات المتحدة": Venezuela is named first in the cut's own sentence,
    # though an earlier sentence reads "US sanctions" beside the break.
    told = {(e.type, e.actor, e.target) for e in seed_events if not e.type.startswith("sanction.")}
    assert told == {
        ("relations.severed", "VE", "US"),
        ("oil.resumed", "VE", "US"),
        ("oil.reduced", "US", "RU"),
    }


def test_evidence_quotes_the_article(seed_events: list[Event]) -> None:
    text = SEED.read_text(encoding="utf-8")
    for event in seed_events:
        evidence = event.evidence
        assert text[evidence.start : evidence.end] == evidence.text
        assert event.lang == "ar" and 0.0 < event.confidence <= 1.0


def test_one_event_per_key(seed_events: list[Event]) -> None:
    keys = [(e.type, e.actor, e.target, e.status) for e in seed_events]
    assert len(keys) == len(set(keys))
