from __future__ import annotations

import datetime as dt
from typing import Any

from models.alerts import EvidenceItem, Filters
from models.state import DyadChange
from streams.alerts.match import Subscriber, alert_id, build_alert, match, matches


def change(**over: Any) -> DyadChange:
    base: dict[str, Any] = {
        "id": "c1",
        "kind": "state",
        "dyad": "US-VE",
        "dimension": "diplomatic",
        "actor": "US",
        "target": "VE",
        "state": "severed",
        "previous_state": "normal",
        "valid_from": dt.date(2019, 1, 1),
        "precision": "year",
        "basis": "stated",
        "confidence": 0.85,
        "articles": 1,
        "event_id": "e1",
        "evidence": "Venezuela and the United States cut all relations in 2019.",
    }
    return DyadChange(**{**base, **over})


SEVERED = change()
SANCTIONS = change(
    id="c2", dimension="sanctions", state="active", previous_state="none", confidence=0.67
)
CONSIDERED = change(id="c3", kind="signal.opened", state="sanction.imposed", dyad="RU-US")
DENIED = change(id="c4", kind="signal.closed", state="oil.halted", closure="denied")


def test_empty_filters_take_every_state_change_but_no_signal() -> None:
    f = Filters()
    assert matches(f, SEVERED) and matches(f, SANCTIONS)
    assert not matches(f, CONSIDERED) and not matches(f, DENIED)


def test_pairs_are_unordered_and_case_blind() -> None:
    assert matches(Filters(pairs=["ve-us"]), SEVERED)
    assert matches(Filters(pairs=["US-VE"]), SEVERED)
    assert not matches(Filters(pairs=["US-RU"]), SEVERED)


def test_countries_match_either_side() -> None:
    assert matches(Filters(countries=["VE"]), SEVERED)
    assert matches(Filters(countries=["us", "IR"]), SEVERED)
    assert not matches(Filters(countries=["IR"]), SEVERED)


def test_dimensions_and_event_types() -> None:
    assert matches(Filters(dimensions=["sanctions"]), SANCTIONS)
    assert not matches(Filters(dimensions=["oil"]), SANCTIONS)
    assert matches(Filters(event_types=["sanction.imposed"]), SANCTIONS)
    assert matches(Filters(event_types=["relations.severed"]), SEVERED)
    assert not matches(Filters(event_types=["relations.severed"]), SANCTIONS)
    eased = change(dimension="sanctions", state="eased", previous_state="active")
    assert matches(Filters(event_types=["sanction.lifted"]), eased)


def test_thresholds_on_confidence_and_sources() -> None:
    assert matches(Filters(min_confidence=0.85), SEVERED)
    assert not matches(Filters(min_confidence=0.9), SEVERED)
    assert not matches(Filters(min_sources=2), SEVERED)
    assert matches(Filters(min_sources=2), change(articles=3))


def test_signals_when_asked_for_or_named_by_status() -> None:
    assert matches(Filters(signals=True), CONSIDERED)
    assert matches(Filters(statuses=["considered"]), CONSIDERED)
    assert not matches(Filters(statuses=["considered"]), SEVERED)
    assert matches(Filters(statuses=["denied"]), DENIED)
    assert not matches(Filters(statuses=["considered"]), DENIED)
    assert matches(Filters(signals=True, event_types=["oil.halted"]), DENIED)


def test_match_keeps_only_interested_subscribers() -> None:
    subs = [
        Subscriber("a", Filters(pairs=["US-VE"])),
        Subscriber("b", Filters(countries=["IR"])),
        Subscriber("c", Filters(dimensions=["diplomatic"])),
    ]
    assert match(subs, SEVERED) == ["a", "c"]
    assert match(subs, SANCTIONS) == ["a"]


def test_alert_id_is_deterministic_per_subscription_and_change() -> None:
    assert alert_id("s1", "c1") == alert_id("s1", "c1")
    assert len({alert_id("s1", "c1"), alert_id("s2", "c1"), alert_id("s1", "c2")}) == 3


def test_alert_carries_states_evidence_and_link() -> None:
    at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    ev = [EvidenceItem(text="…", article_id="a1", url="https://news.example/1", event_id="e1")]
    alert = build_alert("s1", SEVERED, ev, base_url="http://127.0.0.1:18080/", created_at=at)
    assert alert.id == alert_id("s1", "c1")
    assert (alert.old_state, alert.new_state) == ("normal", "severed")
    assert alert.event_type == "relations.severed" and alert.status == "occurred"
    assert alert.sources == 1 and alert.confidence == 0.85
    assert alert.evidence == ev
    assert alert.dyad_url == "http://127.0.0.1:18080/v1/dyads/US-VE"


def test_alert_falls_back_to_the_change_sentence_without_stored_evidence() -> None:
    at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    alert = build_alert("s1", SEVERED, [], base_url="", created_at=at)
    assert alert.evidence[0].text == SEVERED.evidence
    assert alert.dyad_url == "/v1/dyads/US-VE"
