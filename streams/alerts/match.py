"""Pure: which subscriptions a change concerns, and the alert each of them receives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from models.alerts import Alert, EvidenceItem, Filters
from models.ids import stable_id
from models.state import DyadChange
from models.vocabulary import VOCABULARY, Vocabulary


@dataclass(frozen=True)
class Subscriber:
    """What matching needs to know of a subscription."""

    id: str
    filters: Filters


def alert_id(subscription_id: str, change_id: str) -> str:
    return stable_id(subscription_id, change_id)


def event_type_of(change: DyadChange, vocabulary: Vocabulary = VOCABULARY) -> str | None:
    if change.kind in ("state", "state.reinforced"):
        # Derived at load: a state no kind leads into fails there, not here.
        return vocabulary.kind_leading_to(change.dimension, change.state)
    return change.state  # a signal carries the type of event it reports


def status_of(change: DyadChange, vocabulary: Vocabulary = VOCABULARY) -> str:
    if change.kind in ("state", "state.reinforced"):
        return vocabulary.status_where(changes_state=True)
    if change.kind == "signal.opened":
        return vocabulary.status_where(opens_signal=True)
    # A signal is closed by a report whose status names the closure (a denial: "denied");
    # anything else confirmed it, as the status that changes the state does.
    closing = vocabulary.status_closing_as(change.closure) if change.closure else None
    return closing or vocabulary.status_where(changes_state=True)


def matches(f: Filters, change: DyadChange) -> bool:
    status = status_of(change)
    # Signals come only when asked for, or when a status that only signals have is named.
    asked = f.signals or (status != "occurred" and status in f.statuses)
    if change.kind not in ("state", "state.reinforced") and not asked:
        return False
    if f.statuses and status not in f.statuses:
        return False
    # Filters hold their pairs in the one spelling (`parse_dyad`), as changes do.
    if f.pairs and change.dyad not in f.pairs:
        return False
    if f.countries and not set(change.dyad.split("-")) & {c.upper() for c in f.countries}:
        return False
    if f.dimensions and change.dimension not in f.dimensions:
        return False
    if f.event_types and event_type_of(change) not in f.event_types:
        return False
    # Independent stories; a change published before stories were kept counts articles.
    independent = change.stories or change.articles
    return change.confidence >= f.min_confidence and independent >= f.min_sources


def match(subscribers: Iterable[Subscriber], change: DyadChange) -> list[str]:
    """Ids of the subscriptions that want `change`, in the order given."""
    return [s.id for s in subscribers if matches(s.filters, change)]


def build_alert(
    subscription_id: str,
    change: DyadChange,
    evidence: Sequence[EvidenceItem],
    *,
    base_url: str,
    created_at: dt.datetime,
) -> Alert:
    return Alert(
        # A reinforcement alerts as the state it backs, under that state's alert id: however
        # many stories follow, a subscription hears of one state once, when it has enough.
        id=alert_id(subscription_id, change.reinforces or change.id),
        subscription_id=subscription_id,
        change_id=change.reinforces or change.id,
        kind="state" if change.reinforces else change.kind,
        dyad=change.dyad,
        dimension=change.dimension,
        actor=change.actor,
        target=change.target,
        old_state=change.previous_state,
        new_state=change.state,
        closure=change.closure,
        event_type=event_type_of(change),
        status=status_of(change),  # type: ignore[arg-type]
        valid_from=change.valid_from,
        precision=change.precision,
        basis=change.basis,
        confidence=change.confidence,
        sources=change.stories or change.articles,
        articles=change.articles,
        stories=change.stories or change.articles,
        outlets=change.outlets,
        evidence=list(evidence)
        or [EvidenceItem(text=change.evidence, article_id="", event_id=change.event_id)],
        dyad_url=f"{base_url.rstrip('/')}/v1/dyads/{change.dyad}",
        created_at=created_at,
    )
