"""Alert subscriptions, alerts and webhook deliveries: tables and wire shapes.

An alert is one change seen by one subscription; its id is a hash of the two, so a change
delivered twice by Kafka maps to the same alert, the same row and the same idempotency key.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from models.dyads import DYAD_PATTERN, DyadError, parse_dyad
from models.events import EventType, Status
from models.state import ChangeKind, Dimension
from models.tables import Base
from models.wire import JsonBool, JsonFloat, JsonInt, WebUrl

Channel = Literal["webhook", "sse"]
MAX_ITEMS = 10_000  # a hard ceiling; DYADWATCH_MAX_FILTER_ITEMS sets the working limit
_COUNTRY = re.compile(r"^[A-Z]{2}$")
DeliveryStatus = Literal["pending", "delivered", "dead"]

# --- tables -------------------------------------------------------------------------------


class ApiKeyRow(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # SHA-256 of the key: the key itself is shown once and never stored.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # A read-only key sees everything its holder may see and changes nothing.
    read_only: Mapped[bool] = mapped_column(Boolean, server_default="false")


class DashboardSessionRow(Base):
    """A signed-in dashboard visitor: the cookie holds a random token, this row its hash."""

    __tablename__ = "dashboard_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    api_key_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("api_keys.id", ondelete="CASCADE")
    )
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_dashboard_sessions_expires_at", "expires_at"),)


class SubscriptionRow(Base):
    __tablename__ = "subscriptions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    api_key_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("api_keys.id", ondelete="CASCADE")
    )
    name: Mapped[str | None] = mapped_column(String(200))
    filters: Mapped[dict[str, Any]] = mapped_column(JSONB)
    channel: Mapped[str] = mapped_column(String(16))
    webhook_url: Mapped[str | None] = mapped_column(Text)
    # Signing needs the secret itself; it leaves the database only inside HMACs.
    secret: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (
        CheckConstraint("channel IN ('webhook','sse')", name="channel_known"),
        CheckConstraint(
            "channel <> 'webhook' OR (webhook_url IS NOT NULL AND secret IS NOT NULL)",
            name="webhook_complete",
        ),
        Index("ix_subscriptions_api_key_id", "api_key_id"),
    )


class AlertRow(Base):
    __tablename__ = "alerts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Commit order equals seq order (inserts hold one advisory lock), so a stream resumed
    # after seq N misses nothing.
    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True), unique=True)
    subscription_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("subscriptions.id", ondelete="CASCADE")
    )
    change_id: Mapped[str] = mapped_column(String(32))
    dyad: Mapped[str] = mapped_column(String(5))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # When the evidence first reached us: the start of the ingest-to-alert latency.
    source_recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_alerts_subscription_id_seq", "subscription_id", "seq"),
        Index("ix_alerts_unpublished", "created_at", postgresql_where="published_at IS NULL"),
    )


class DeliveryRow(Base):
    """One webhook delivery per alert; its attempts are in `delivery_attempts`."""

    __tablename__ = "deliveries"

    alert_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True
    )
    subscription_id: Mapped[str] = mapped_column(String(32))
    # scheme://host:port: the unit of fairness, so one slow receiver holds only its own slots.
    endpoint: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    next_attempt_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_latency_ms: Mapped[float | None] = mapped_column(Float)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (
        CheckConstraint("status IN ('pending','delivered','dead')", name="status_known"),
        Index("ix_deliveries_due", "next_attempt_at", postgresql_where="status = 'pending'"),
    )


class DeliveryAttemptRow(Base):
    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    alert_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("deliveries.alert_id", ondelete="CASCADE")
    )
    attempt: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status_code: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[float] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_delivery_attempts_alert_id", "alert_id"),)


# --- wire shapes --------------------------------------------------------------------------


class Filters(BaseModel):
    """What a subscription wants; an empty list means no restriction on that field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    countries: list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]] = Field(
        default_factory=list, max_length=MAX_ITEMS
    )
    # A state paired with itself is well formed and matches nothing.
    pairs: list[Annotated[str, Field(pattern=DYAD_PATTERN)]] = Field(
        default_factory=list, max_length=MAX_ITEMS
    )
    dimensions: list[Dimension] = Field(default_factory=list, max_length=8)
    event_types: list[EventType] = Field(default_factory=list, max_length=16)
    statuses: list[Status] = Field(default_factory=list, max_length=8)
    min_confidence: JsonFloat = Field(default=0.0, ge=0.0, le=1.0)
    min_sources: JsonInt = Field(default=1, ge=1, le=10_000)
    # Signals (reports of something considered, or denied) alert only when asked for.
    signals: JsonBool = False

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        out = [c.strip().upper() for c in value]
        bad = [c for c in out if not _COUNTRY.match(c)]
        if bad:
            raise ValueError(f"not a two-letter country code: {bad[0][:20]!r}")
        return sorted(set(out))

    @field_validator("pairs")
    @classmethod
    def _pairs(cls, value: list[str]) -> list[str]:
        # A DyadError is a ValueError: pydantic reports it with the field.
        return sorted({_filter_pair(p) for p in value})

    def largest(self) -> int:
        return max(len(self.countries), len(self.pairs))


def _filter_pair(text: str) -> str:
    try:
        return parse_dyad(text)
    except DyadError:
        # Only a state with itself gets here past the pattern: kept, it never matches.
        return text.upper()


class EvidenceItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    article_id: str
    url: str | None = None
    event_id: str


class Alert(BaseModel):
    """What every channel carries: webhook body, SSE data, `alerts` topic value."""

    model_config = ConfigDict(frozen=True)

    id: str
    subscription_id: str
    change_id: str
    kind: ChangeKind
    dyad: str
    dimension: Dimension
    actor: str
    target: str
    old_state: str | None
    new_state: str
    closure: str | None = None
    event_type: str | None
    status: Status
    valid_from: dt.date
    precision: str
    basis: str
    confidence: float
    # Independent stories behind the change (before stories were kept: articles).
    sources: int
    articles: int = 0
    stories: int = 0
    outlets: int = 0
    evidence: list[EvidenceItem]
    dyad_url: str
    created_at: dt.datetime


# A name is shown in lists and logs: no control characters (PostgreSQL refuses NUL outright).
_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"


class SubscriptionIn(BaseModel):
    """A new subscription. Without a secret, a webhook subscription gets a generated one."""

    # The channel is a webhook unless it says sse, and a webhook needs its URL.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "anyOf": [
                {"required": ["webhook_url"], "properties": {"webhook_url": {"type": "string"}}},
                {"required": ["channel"], "properties": {"channel": {"const": "sse"}}},
            ]
        },
    )

    name: str | None = Field(default=None, max_length=200, pattern=_PRINTABLE)
    filters: Filters = Field(default_factory=Filters)
    channel: Channel = "webhook"
    webhook_url: WebUrl | None = None
    secret: str | None = Field(
        default=None, min_length=16, max_length=256, pattern=_PRINTABLE, repr=False
    )


class SubscriptionPatch(BaseModel):
    """Fields to change; the rest stay as they are. `filters` is replaced as a whole."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200, pattern=_PRINTABLE)
    filters: Filters | None = None
    channel: Channel | None = None
    webhook_url: WebUrl | None = None
    secret: str | None = Field(
        default=None, min_length=16, max_length=256, pattern=_PRINTABLE, repr=False
    )
    active: JsonBool | None = None


class SubscriptionOut(BaseModel):
    # Answers leave out what is None (no name, no URL, no secret): the fields are optional.
    model_config = ConfigDict(json_schema_mode_override="validation")

    id: str
    name: str | None = None
    filters: Filters
    channel: Channel
    webhook_url: str | None = None
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    # Only in the answer that generated it: the API never shows a secret again.
    secret: str | None = Field(default=None, repr=False)
