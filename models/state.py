"""Country-pair state: periods per dyad and dimension, signals, and the change feed.

Every row here is derived from the `events` table by `streams.state.rules`, except the
`published_at` mark of a change, so recomputing from the events gives the same rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, DATERANGE, JSONB, ExcludeConstraint, Range
from sqlalchemy.orm import Mapped, mapped_column

from models.checks import check_sql
from models.tables import Base
from models.vocabulary import VOCABULARY, DimensionName

Dimension = DimensionName
DIMENSIONS: tuple[str, ...] = tuple(VOCABULARY.dimensions)

# Where a valid time comes from: the text's own date, the article's date, or our clock.
Basis = Literal["stated", "published", "recorded"]

# "state.reinforced": a state announced before is now backed by one more independent story
# (what a subscription's `min_sources` waits for).
ChangeKind = Literal["state", "state.reinforced", "signal.opened", "signal.closed"]


class DyadPeriodRow(Base):
    """One state of one dyad and dimension over a stretch of valid time."""

    __tablename__ = "dyad_periods"

    # A hash of the track and the first valid day: the periods of a track never share one.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    dyad: Mapped[str] = mapped_column(String(5))
    dimension: Mapped[str] = mapped_column(String(16))
    # "US>VE" on the directed sanctions track; empty on the unordered ones.
    direction: Mapped[str] = mapped_column(String(5))
    state: Mapped[str] = mapped_column(String(16))
    # The side that acted in the event opening the period (fixed by the track for sanctions).
    actor: Mapped[str] = mapped_column(String(2))
    target: Mapped[str] = mapped_column(String(2))
    valid: Mapped[Range[dt.date]] = mapped_column(DATERANGE)
    precision: Mapped[str] = mapped_column(String(8))
    basis: Mapped[str] = mapped_column(String(16))
    event_ids: Mapped[list[str]] = mapped_column(ARRAY(String(64)))
    first_event_id: Mapped[str] = mapped_column(String(64))
    latest_event_id: Mapped[str] = mapped_column(String(64))
    articles: Mapped[int] = mapped_column(Integer)
    outlets: Mapped[int] = mapped_column(Integer)
    # Distinct stories: copies of one wire story printed by several outlets count once.
    stories: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)
    # Recorded time: when the first supporting event reached us.
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        ExcludeConstraint(
            (dyad, "="),
            (dimension, "="),
            (direction, "="),
            (valid, "&&"),
            name="ex_dyad_periods_no_overlap",
            using="gist",
        ),
        CheckConstraint(check_sql("dyad_periods", "dimension_known"), name="dimension_known"),
        CheckConstraint(check_sql("dyad_periods", "state_known"), name="state_known"),
        CheckConstraint(
            check_sql("dyad_periods", "direction_fits_track"), name="direction_fits_track"
        ),
        CheckConstraint("NOT isempty(valid)", name="valid_not_empty"),
        Index("ix_dyad_periods_dyad", "dyad"),
    )


class DyadSignalRow(Base):
    """A `considered` event kept open on its track until confirmed, denied or expired."""

    __tablename__ = "dyad_signal_records"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    dyad: Mapped[str] = mapped_column(String(5))
    dimension: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(5))
    type: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(2))
    target: Mapped[str] = mapped_column(String(2))
    opened_on: Mapped[dt.date] = mapped_column(Date)
    precision: Mapped[str] = mapped_column(String(8))
    basis: Mapped[str] = mapped_column(String(16))
    # Stored rather than computed from a constant so the expiry setting stays in one place.
    expires_on: Mapped[dt.date] = mapped_column(Date)
    # Today's open signals are judged in recorded time: an old article read today reports a
    # signal that is news to us, though it lapsed long ago in valid time.
    lapses_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    event_ids: Mapped[list[str]] = mapped_column(ARRAY(String(64)))
    latest_event_id: Mapped[str] = mapped_column(String(64))
    articles: Mapped[int] = mapped_column(Integer)
    outlets: Mapped[int] = mapped_column(Integer)
    stories: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    closure: Mapped[str | None] = mapped_column(String(16))
    closed_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        CheckConstraint(
            check_sql("dyad_signal_records", "dimension_known"), name="dimension_known"
        ),
        CheckConstraint(check_sql("dyad_signal_records", "type_known"), name="type_known"),
        CheckConstraint(
            check_sql("dyad_signal_records", "direction_fits_track"), name="direction_fits_track"
        ),
        CheckConstraint(check_sql("dyad_signal_records", "closure_known"), name="closure_known"),
        Index("ix_dyad_signal_records_dyad", "dyad"),
    )


class DyadChangeRow(Base):
    """The change feed's outbox: one row per change ever derived, published after commit."""

    __tablename__ = "dyad_changes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    dyad: Mapped[str] = mapped_column(String(5))
    dimension: Mapped[str] = mapped_column(String(16))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint(check_sql("dyad_changes", "dimension_known"), name="dimension_known"),
        Index("ix_dyad_changes_dyad", "dyad"),
        Index("ix_dyad_changes_published_at", "published_at"),
    )


class DyadChange(BaseModel):
    """A change as published on `dyad.changes`, keyed by the unordered pair."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: ChangeKind
    dyad: str
    dimension: Dimension
    actor: str
    target: str
    # The new state for kind "state"; the event type of the signal otherwise.
    state: str
    previous_state: str | None = None
    closure: str | None = None
    valid_from: dt.date
    precision: str
    basis: Basis
    confidence: float
    articles: int
    # Independent stories behind it; changes published before stories were kept have none.
    stories: int = 0
    outlets: int = 0
    # On a "state.reinforced" change: the id of the "state" change it backs.
    reinforces: str | None = None
    event_id: str
    evidence: str


class StateAppliedRow(Base):
    """The events the state stage has applied. A track's state after an event is derived
    from the events applied before it and that event, never from events stored by the
    detect stage but not yet arrived here: what is announced follows the stream's order,
    whatever the batches."""

    __tablename__ = "state_applied_events"

    event_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    applied_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
