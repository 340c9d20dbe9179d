"""Pure state rules: the periods and signals of one track are a function of its events.

A track is one dyad and dimension (and, for sanctions, one direction). Whatever order the
events arrive in, `derive` sorts them by valid time, then the article's publication date,
then id, so a late article lands at its place in history and a replay, a rebuild or another
run over the same news gives the same answer. (Recorded time is no tie-breaker: it says
when a worker happened to store the event, which differs from run to run.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from models.dyads import dyad_of
from models.ids import stable_id
from models.vocabulary import VOCABULARY, Vocabulary


@dataclass(frozen=True, order=True)
class Track:
    dyad: str  # unordered pair, "AA-BB"
    dimension: str
    direction: str = ""  # "AA>BB" on an ordered track (sanctions)

    def __str__(self) -> str:
        return f"{self.dimension}:{self.direction or self.dyad}"

    @classmethod
    def of(
        cls, event_type: str, actor: str, target: str, vocabulary: Vocabulary = VOCABULARY
    ) -> Track:
        dimension = vocabulary.dimension_of(event_type)
        direction = f"{actor}>{target}" if dimension.ordered else ""
        return cls(dyad_of(actor, target), dimension.name, direction)


@dataclass(frozen=True)
class Fact:
    """One stored event, with its valid time already resolved."""

    event_id: str
    type: str
    status: str
    actor: str
    target: str
    valid_from: dt.date
    precision: str
    basis: str
    recorded_at: dt.datetime
    confidence: float
    article_id: str
    outlet: str | None
    evidence: str
    partial: bool = False  # a lifting that only eases
    published: dt.date | None = None  # the article's own date, when it gives one
    story: str | None = None  # the first article of its story; none before stories were kept

    @property
    def order(self) -> tuple[dt.date, dt.date, str]:
        # Of two events on one valid day, the one reported later is the later development.
        return (self.valid_from, self.published or self.valid_from, self.event_id)


def state_after(fact: Fact, vocabulary: Vocabulary = VOCABULARY) -> str:
    return vocabulary.state_after(fact.type, fact.status, partial=fact.partial)


@dataclass(frozen=True)
class Support:
    """What backs a period or a signal: its events and the distinct sources behind them.
    `stories` counts the independent ones: a wire story reprinted by five outlets is five
    articles and five outlets, but one story."""

    event_ids: tuple[str, ...]
    latest_event_id: str
    articles: int
    outlets: int
    stories: int
    confidence: float
    recorded_at: dt.datetime  # when the first of them reached us
    last_recorded_at: dt.datetime

    @classmethod
    def of(cls, facts: Sequence[Fact]) -> Support:
        best: dict[str, float] = {}
        for f in facts:
            story = f.story or f.article_id
            best[story] = max(best.get(story, 0.0), f.confidence)
        # Independent stories reinforce each other; one article saying it twice, or a copy
        # of it in another paper, does not.
        doubt = 1.0
        for c in best.values():
            doubt *= 1.0 - c
        return cls(
            event_ids=tuple(sorted({f.event_id for f in facts})),
            latest_event_id=max(facts, key=lambda f: f.order).event_id,
            articles=len({f.article_id for f in facts}),
            outlets=len({f.outlet for f in facts if f.outlet}),
            stories=len(best),
            confidence=round(1.0 - doubt, 4),
            recorded_at=min(f.recorded_at for f in facts),
            last_recorded_at=max(f.recorded_at for f in facts),
        )


@dataclass(frozen=True)
class Period:
    track: Track
    state: str
    previous_state: str
    valid_from: dt.date
    valid_to: dt.date | None  # exclusive; None while it is the current state
    precision: str
    basis: str
    actor: str
    target: str
    first_event_id: str
    support: Support

    @property
    def id(self) -> str:
        return stable_id(self.track, self.valid_from)

    @property
    def change_id(self) -> str:
        return stable_id("state", self.track, self.state, self.valid_from)


@dataclass(frozen=True)
class Signal:
    track: Track
    type: str
    actor: str
    target: str
    opened_on: dt.date
    precision: str
    basis: str
    expires_on: dt.date  # in valid time: the latest report's date plus the expiry
    lapses_at: dt.datetime  # in recorded time: when we last heard of it plus the expiry
    first_event_id: str
    support: Support
    closed_on: dt.date | None = None
    closure: str | None = None  # "confirmed" or "denied"; expiry is judged at read time
    closed_by: str | None = None

    @property
    def id(self) -> str:
        return stable_id(self.track, self.type, self.first_event_id)


@dataclass
class _Open:
    """A period or signal while it is being built."""

    first: Fact
    facts: list[Fact] = field(default_factory=list)


@dataclass(frozen=True)
class Derived:
    periods: tuple[Period, ...]
    signals: tuple[Signal, ...]


def derive(
    track: Track, facts: Iterable[Fact], *, expiry_days: int, vocabulary: Vocabulary = VOCABULARY
) -> Derived:
    ordered = sorted(facts, key=lambda f: f.order)
    behind = _told_behind(ordered, vocabulary)
    changing = [
        f
        for f in ordered
        if vocabulary.statuses[f.status].changes_state and f.event_id not in behind
    ]
    return Derived(
        periods=_periods(track, changing, vocabulary),
        signals=_signals(track, ordered, expiry_days, vocabulary),
    )


def _told_behind(facts: list[Fact], vocabulary: Vocabulary) -> set[str]:
    """The undated facts an article tells only as in force behind its own news: "lifted the
    sanctions on Syria" reports sanctions that held until the lifting, from no day the text
    gives. Such a fact dated by its publication would follow the lifting it precedes, so the
    article's lifting alone moves the track; a measure with its own date keeps its place."""
    presupposed: dict[str, set[str]] = {}
    for fact in facts:
        kind = vocabulary.kind(fact.type).presupposes
        if kind is not None and vocabulary.statuses[fact.status].changes_state:
            presupposed.setdefault(fact.article_id, set()).add(kind)
    return {
        fact.event_id
        for fact in facts
        if fact.basis != "stated" and fact.type in presupposed.get(fact.article_id, set())
    }


def _periods(track: Track, changing: list[Fact], vocabulary: Vocabulary) -> tuple[Period, ...]:
    built: list[tuple[str, _Open]] = []
    for fact in changing:
        state = state_after(fact, vocabulary)
        if built and built[-1][0] == state:
            built[-1][1].facts.append(fact)
            continue
        if built and built[-1][1].first.valid_from == fact.valid_from:
            # Two changes on one day: the one we learned last holds the day.
            built.pop()
            if built and built[-1][0] == state:
                built[-1][1].facts.append(fact)
                continue
        built.append((state, _Open(fact, [fact])))
    periods: list[Period] = []
    for i, (state, span) in enumerate(built):
        first = span.first
        following = built[i + 1][1].first.valid_from if i + 1 < len(built) else None
        periods.append(
            Period(
                track=track,
                state=state,
                previous_state=built[i - 1][0] if i else vocabulary.initial(track.dimension),
                valid_from=first.valid_from,
                valid_to=following,
                precision=first.precision,
                basis=first.basis,
                actor=first.actor,
                target=first.target,
                first_event_id=first.event_id,
                support=Support.of(span.facts),
            )
        )
    return tuple(periods)


def _signals(
    track: Track, ordered: list[Fact], expiry_days: int, vocabulary: Vocabulary
) -> tuple[Signal, ...]:
    done: list[Signal] = []
    open_: dict[str, _Open] = {}
    life = dt.timedelta(days=expiry_days)

    def expiry(span: _Open) -> dt.date:
        # A threat repeated keeps the signal alive from its latest report.
        return max(f.valid_from for f in span.facts) + life

    def close(kind: str, fact: Fact | None) -> None:
        span = open_.pop(kind)
        done.append(_signal(track, span, life, fact, vocabulary))

    for fact in ordered:
        span = open_.get(fact.type)
        if span is not None and expiry(span) <= fact.valid_from:
            close(fact.type, None)  # expired before this fact: closed by time, not by it
            span = None
        if vocabulary.statuses[fact.status].opens_signal:
            if span is None:
                open_[fact.type] = _Open(fact, [fact])
            else:
                span.facts.append(fact)
        elif span is not None and fact.article_id not in {f.article_id for f in span.facts}:
            # "Imposed sanctions and weighs more": an article does not answer its own signal.
            close(fact.type, fact)
    for kind in list(open_):
        close(kind, None)
    return tuple(sorted(done, key=lambda s: (s.opened_on, s.type, s.first_event_id)))


def _signal(
    track: Track, span: _Open, life: dt.timedelta, closer: Fact | None, vocabulary: Vocabulary
) -> Signal:
    first = span.first
    return Signal(
        track=track,
        type=first.type,
        actor=first.actor,
        target=first.target,
        opened_on=first.valid_from,
        precision=first.precision,
        basis=first.basis,
        expires_on=max(f.valid_from for f in span.facts) + life,
        lapses_at=max(f.recorded_at for f in span.facts) + life,
        first_event_id=first.event_id,
        support=Support.of(span.facts),
        closed_on=closer.valid_from if closer else None,
        closure=None if closer is None else vocabulary.statuses[closer.status].closes_signal_as,
        closed_by=closer.event_id if closer else None,
    )
