"""The transition rules on scripted facts: ordering, merging, same-day changes and signals."""

from __future__ import annotations

import datetime as dt
import itertools

from streams.state.rules import Fact, Track, derive, state_after

D = dt.date
T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
DIPLO = Track("US-VE", "diplomatic")
SANCTIONS = Track("US-VE", "sanctions", "US>VE")
OIL = Track("RU-US", "oil")


def fact(
    n: int,
    type_: str,
    on: dt.date,
    status: str = "occurred",
    *,
    actor: str = "VE",
    target: str = "US",
    article: str | None = None,
    outlet: str | None = None,
    recorded: int = 0,
    confidence: float = 0.8,
    partial: bool = False,
    precision: str = "day",
    basis: str = "stated",
) -> Fact:
    return Fact(
        event_id=f"e{n}",
        type=type_,
        status=status,
        actor=actor,
        target=target,
        valid_from=on,
        precision=precision,
        basis=basis,
        recorded_at=T0 + dt.timedelta(hours=recorded),
        confidence=confidence,
        article_id=article or f"a{n}",
        outlet=outlet,
        evidence=f"sentence {n}",
        partial=partial,
    )


def states(track: Track, facts: list[Fact]) -> list[tuple[str, dt.date, dt.date | None]]:
    return [
        (p.state, p.valid_from, p.valid_to) for p in derive(track, facts, expiry_days=180).periods
    ]


def test_track_of_an_event() -> None:
    assert Track.of("relations.severed", "VE", "US") == DIPLO
    assert Track.of("sanction.imposed", "US", "VE") == SANCTIONS
    assert Track.of("sanction.imposed", "VE", "US").direction == "VE>US"
    assert str(SANCTIONS) == "sanctions:US>VE"


def test_severed_then_restored() -> None:
    facts = [
        fact(1, "relations.severed", D(2019, 1, 1), precision="year"),
        fact(2, "relations.restored", D(2023, 3, 10)),
    ]
    assert states(DIPLO, facts) == [
        ("severed", D(2019, 1, 1), D(2023, 3, 10)),
        ("restored", D(2023, 3, 10), None),
    ]
    first = derive(DIPLO, facts, expiry_days=180).periods[0]
    assert (first.precision, first.previous_state) == ("year", "normal")


def test_arrival_order_does_not_matter() -> None:
    facts = [
        fact(1, "relations.severed", D(2019, 1, 23), recorded=5),
        fact(2, "relations.restored", D(2023, 3, 10), recorded=1),
        fact(3, "relations.downgraded", D(2018, 5, 1), recorded=9),
        fact(4, "relations.severed", D(2020, 2, 2), recorded=2, outlet="x"),
    ]
    expected = derive(DIPLO, facts, expiry_days=180)
    for perm in itertools.permutations(facts):
        assert derive(DIPLO, perm, expiry_days=180) == expected
    assert [p.state for p in expected.periods] == ["downgraded", "severed", "restored"]
    severed = expected.periods[1].support
    assert severed.event_ids == ("e1", "e4") and severed.articles == 2 and severed.outlets == 1
    assert severed.latest_event_id == "e4"


def test_same_state_reported_twice_supports_one_period() -> None:
    facts = [
        fact(1, "sanction.imposed", D(2019, 1, 28), actor="US", target="VE", confidence=0.5),
        fact(2, "sanction.imposed", D(2019, 8, 5), actor="US", target="VE", confidence=0.5),
        fact(3, "sanction.imposed", D(2019, 8, 5), actor="US", target="VE", article="a2"),
    ]
    [period] = derive(SANCTIONS, facts, expiry_days=180).periods
    assert period.state == "active" and period.valid_to is None
    # Two articles at 0.5 and 0.8 (the best of a2's two): 1 - 0.5 * 0.2.
    assert period.support.articles == 2 and period.support.confidence == 0.9


def test_same_day_change_is_held_by_the_later_recorded() -> None:
    facts = [
        fact(1, "oil.reduced", D(2022, 3, 8), recorded=0),
        fact(2, "oil.halted", D(2022, 3, 8), recorded=1),
    ]
    assert states(OIL, facts) == [("halted", D(2022, 3, 8), None)]


def test_easing_then_lifting() -> None:
    facts = [
        fact(1, "sanction.imposed", D(2019, 1, 28), actor="US", target="VE"),
        fact(2, "sanction.lifted", D(2023, 10, 18), actor="US", target="VE", partial=True),
        fact(3, "sanction.lifted", D(2024, 2, 1), actor="US", target="VE"),
    ]
    assert [s for s, _, _ in states(SANCTIONS, facts)] == ["active", "eased", "lifted"]
    assert state_after(facts[1]) == "eased"


def test_sanctions_told_in_force_behind_a_lifting_leave_the_lifting_as_the_news() -> None:
    # "Washington on Monday lifted the sanctions imposed on Venezuela", published Tuesday:
    # the sanctions in force carry the publication date, after the lifting they precede.
    lifted = fact(1, "sanction.lifted", D(2024, 2, 5), actor="US", target="VE", article="a")
    behind = fact(2, "sanction.imposed", D(2024, 2, 6), actor="US", target="VE", article="a",
                  basis="published")  # fmt: skip
    assert states(SANCTIONS, [lifted, behind]) == [("lifted", D(2024, 2, 5), None)]
    # Dated in the text, or told by another article, the sanctions keep their place.
    dated = fact(3, "sanction.imposed", D(2024, 3, 1), actor="US", target="VE", article="a")
    elsewhere = fact(4, "sanction.imposed", D(2024, 2, 6), actor="US", target="VE",
                     basis="published")  # fmt: skip
    assert [s for s, _, _ in states(SANCTIONS, [lifted, behind, dated])] == ["lifted", "active"]
    assert [s for s, _, _ in states(SANCTIONS, [lifted, elsewhere])] == ["lifted", "active"]


def test_considered_easing_is_a_signal_confirmed_by_the_lifting() -> None:
    facts = [
        fact(1, "sanction.imposed", D(2019, 1, 28), actor="US", target="VE"),
        fact(2, "sanction.lifted", D(2023, 6, 1), "considered", actor="US", target="VE"),
        fact(3, "sanction.lifted", D(2023, 10, 18), actor="US", target="VE"),
    ]
    derived = derive(SANCTIONS, facts, expiry_days=180)
    assert [p.state for p in derived.periods] == ["active", "lifted"]
    [signal] = derived.signals
    assert (signal.opened_on, signal.closed_on, signal.closure, signal.closed_by) == (
        D(2023, 6, 1),
        D(2023, 10, 18),
        "confirmed",
        "e3",
    )
    assert signal.expires_on == D(2023, 6, 1) + dt.timedelta(days=180)


def test_denied_closes_and_expiry_reopens() -> None:
    facts = [
        fact(1, "oil.reduced", D(2022, 3, 6), "considered", actor="US", target="RU"),
        fact(2, "oil.reduced", D(2022, 3, 7), "considered", actor="US", target="RU"),
        fact(3, "oil.reduced", D(2022, 3, 9), "denied", actor="US", target="RU"),
        fact(4, "oil.reduced", D(2022, 4, 1), "considered", actor="US", target="RU"),
        fact(5, "oil.reduced", D(2023, 1, 1), "occurred", actor="US", target="RU"),
    ]
    first, second = derive(OIL, facts, expiry_days=30).signals
    assert first.support.event_ids == ("e1", "e2") and first.closure == "denied"
    # Expired on 2022-05-01, before the cut: the cut confirms nothing.
    assert second.closure is None and second.expires_on == D(2022, 5, 1)
    assert [p.state for p in derive(OIL, facts, expiry_days=30).periods] == ["reduced"]


def test_an_article_does_not_confirm_its_own_signal() -> None:
    facts = [
        fact(
            1,
            "sanction.imposed",
            D(2022, 3, 6),
            "considered",
            actor="US",
            target="VE",
            article="same",
        ),
        fact(2, "sanction.imposed", D(2022, 3, 6), actor="US", target="VE", article="same"),
    ]
    [signal] = derive(SANCTIONS, facts, expiry_days=180).signals
    assert signal.closure is None


def test_ids_are_stable_and_distinct() -> None:
    facts = [
        fact(1, "relations.severed", D(2019, 1, 1)),
        fact(2, "relations.restored", D(2023, 1, 1)),
    ]
    a = derive(DIPLO, facts, expiry_days=180).periods
    b = derive(DIPLO, list(reversed(facts)), expiry_days=180).periods
    assert [p.id for p in a] == [p.id for p in b]
    assert len({p.id for p in a} | {p.change_id for p in a}) == 4
