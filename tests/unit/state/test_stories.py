"""Stories behind a state: copies of one story count once, and each new independent story
announces a reinforcement that a subscription waiting for `min_sources` fires on once."""

from __future__ import annotations

import dataclasses
import datetime as dt

from models.alerts import Filters
from streams.alerts.match import build_alert, matches
from streams.state.changes import changes_of
from streams.state.rules import Fact, Support, derive
from tests.unit.state.test_rules import DIPLO, fact

D = dt.date
NOW = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)


def severed(n: int, *, outlet: str, story: str | None) -> Fact:
    f = fact(n, "relations.severed", D(2024, 1, 1), outlet=outlet, confidence=0.6)
    return dataclasses.replace(f, story=story)


def test_a_reprint_is_an_article_and_an_outlet_more_but_not_a_story() -> None:
    original = severed(1, outlet="wire", story="a1")
    reprint = severed(2, outlet="paper", story="a1")
    other = severed(3, outlet="daily", story="a3")
    support = Support.of([original, reprint])
    assert (support.articles, support.outlets, support.stories) == (2, 2, 1)
    # One story reprinted is no more certain than the story.
    assert support.confidence == 0.6
    both = Support.of([original, reprint, other])
    assert (both.articles, both.outlets, both.stories) == (3, 3, 2)
    assert both.confidence == 0.84


def test_articles_stored_before_stories_were_kept_are_each_their_own() -> None:
    support = Support.of([severed(1, outlet="a", story=None), severed(2, outlet="b", story=None)])
    assert support.stories == 2


def test_each_new_story_announces_a_reinforcement_and_a_reprint_does_not() -> None:
    facts = [severed(1, outlet="wire", story="a1")]
    first = changes_of(derive(DIPLO, facts, expiry_days=180), facts)
    assert [c.kind for c in first] == ["state"] and first[0].stories == 1
    facts.append(severed(2, outlet="paper", story="a1"))
    reprinted = changes_of(derive(DIPLO, facts, expiry_days=180), facts)
    assert [c.kind for c in reprinted] == ["state"]
    facts.append(severed(3, outlet="daily", story="a3"))
    second = changes_of(derive(DIPLO, facts, expiry_days=180), facts)
    state, reinforced = second
    assert reinforced.kind == "state.reinforced" and reinforced.stories == 2
    assert reinforced.reinforces == state.id == first[0].id
    assert reinforced.id != state.id and reinforced.event_id == "e3"


def test_min_sources_two_fires_on_the_second_story_under_the_state_alert_id() -> None:
    facts = [severed(1, outlet="wire", story="a1"), severed(2, outlet="paper", story="a1")]
    one_story = changes_of(derive(DIPLO, facts, expiry_days=180), facts)
    wants_two = Filters(min_sources=2)
    assert not any(matches(wants_two, c) for c in one_story)
    facts.append(severed(3, outlet="daily", story="a3"))
    state, reinforced = changes_of(derive(DIPLO, facts, expiry_days=180), facts)
    assert matches(wants_two, reinforced)
    alert = build_alert("s", reinforced, [], base_url="http://x", created_at=NOW)
    # The state's own alert id: a subscriber that had it at one story is not told twice.
    assert alert.id == build_alert("s", state, [], base_url="http://x", created_at=NOW).id
    assert alert.kind == "state" and alert.change_id == state.id
    assert (alert.sources, alert.stories, alert.articles, alert.outlets) == (2, 2, 3, 3)
