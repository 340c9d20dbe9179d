"""Pure: the changes a derived track announces on `dyad.changes`. Ids are hashes of what the
change says, so deriving the same history again announces nothing new.

A state is announced once, with the stories behind it then. Each time one more independent
story backs it, a `state.reinforced` change says so (its id names the count), which is
what a subscription waiting for `min_sources` stories fires on."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from models.ids import stable_id
from models.state import DyadChange
from streams.state.rules import Derived, Fact, Period, Signal


def changes_of(derived: Derived, facts: Iterable[Fact]) -> list[DyadChange]:
    by_id = {f.event_id: f for f in facts}
    out = []
    for period in derived.periods:
        out.append(state_change(period, by_id))
        if period.support.stories > 1:
            out.append(reinforcement(period, by_id))
    for signal in derived.signals:
        out.extend(signal_changes(signal, by_id))
    return out


def state_change(p: Period, facts: Mapping[str, Fact]) -> DyadChange:
    first = facts[p.first_event_id]
    return DyadChange(
        id=p.change_id,
        kind="state",
        dyad=p.track.dyad,
        dimension=p.track.dimension,  # type: ignore[arg-type]
        actor=p.actor,
        target=p.target,
        state=p.state,
        previous_state=p.previous_state,
        valid_from=p.valid_from,
        precision=p.precision,
        basis=p.basis,  # type: ignore[arg-type]
        confidence=p.support.confidence,
        articles=p.support.articles,
        stories=p.support.stories,
        outlets=p.support.outlets,
        event_id=first.event_id,
        evidence=first.evidence,
    )


def reinforcement(p: Period, facts: Mapping[str, Fact]) -> DyadChange:
    """The period's state, backed now by `stories` independent stories."""
    announced = state_change(p, facts)
    latest = facts[p.support.latest_event_id]
    return announced.model_copy(
        update={
            "id": stable_id("state.reinforced", p.change_id, p.support.stories),
            "kind": "state.reinforced",
            "reinforces": p.change_id,
            "event_id": latest.event_id,
            "evidence": latest.evidence,
        }
    )


def signal_changes(s: Signal, facts: Mapping[str, Fact]) -> Iterator[DyadChange]:
    first = facts[s.first_event_id]
    common: dict[str, Any] = {
        "dyad": s.track.dyad,
        "dimension": s.track.dimension,
        "actor": s.actor,
        "target": s.target,
        "state": s.type,
        "confidence": s.support.confidence,
        "articles": s.support.articles,
        "stories": s.support.stories,
        "outlets": s.support.outlets,
    }
    yield DyadChange(
        id=stable_id("signal.opened", s.id),
        kind="signal.opened",
        valid_from=s.opened_on,
        precision=s.precision,
        basis=s.basis,  # type: ignore[arg-type]
        event_id=first.event_id,
        evidence=first.evidence,
        **common,
    )
    # Expiry is judged at read time against the clock, so it is no change of its own.
    if s.closure and s.closed_on and s.closed_by:
        closer = facts[s.closed_by]
        yield DyadChange(
            id=stable_id("signal.closed", s.id, s.closure),
            kind="signal.closed",
            closure=s.closure,
            valid_from=s.closed_on,
            precision=closer.precision,
            basis=closer.basis,  # type: ignore[arg-type]
            event_id=closer.event_id,
            evidence=closer.evidence,
            **common,
        )
