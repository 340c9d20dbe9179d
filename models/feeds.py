"""Feeds the poller follows, the items it has already published, and a feed's health as the
CLI and the API show it. Data shapes only."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.tables import Base
from models.wire import MAX_URL_LENGTH, WEB_URL_PATTERN


class FeedRow(Base):
    __tablename__ = "feeds"

    # A hash of the URL: adding the same feed twice finds the first one.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    every_seconds: Mapped[int] = mapped_column(Integer)
    # The language the user gave at `feeds add`; it overrides what the feed or page declares.
    lang: Mapped[str | None] = mapped_column(String(16))
    paused: Mapped[bool] = mapped_column(Boolean, server_default="false")
    # The validators of the last full answer, sent back so an unchanged feed answers 304.
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    next_due_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    # Failures since the last success: the exponent of the backoff.
    failures: Mapped[int] = mapped_column(Integer, server_default="0")
    items_seen: Mapped[int] = mapped_column(BigInteger, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (
        CheckConstraint("every_seconds > 0", name="every_positive"),
        Index("ix_feeds_next_due_at", "next_due_at"),
    )


class FeedItemRow(Base):
    """An item published once: its GUID, else its URL, else a hash of its text."""

    __tablename__ = "feed_items"

    feed_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True
    )
    # sha256 of the item key: GUIDs and URLs may be longer than an index entry allows.
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_key: Mapped[str] = mapped_column(Text)
    article_id: Mapped[str | None] = mapped_column(String(512))
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


# Every interval the poller takes, from 10 s to 7 days, by unit: seconds (bare or "s"),
# minutes, hours, days. Written out so that the OpenAPI document says exactly what is
# accepted; a unit test holds it to the parser.
EVERY_PATTERN = (
    r"^(?:(?:[1-9][0-9]{1,4}|[1-5][0-9]{5}|60[0-3][0-9]{3}|604[0-7][0-9]{2}|604800)s?"
    r"|(?:[1-9][0-9]{0,3}|100[0-7][0-9]|10080)m"
    r"|(?:[1-9][0-9]?|1[0-5][0-9]|16[0-8])h"
    r"|[1-7]d)$"
)


class FeedIn(BaseModel):
    """A feed to follow, as the API takes it."""

    url: str = Field(
        min_length=1,
        max_length=MAX_URL_LENGTH,
        pattern=WEB_URL_PATTERN,
        json_schema_extra={"format": "uri"},
        description="an http(s) URL of an RSS or Atom feed",
    )
    every: str = Field(
        default="15m",
        pattern=EVERY_PATTERN,
        description="how often to poll, from 10s to 7d: 90s, 5m, 2h or 1d",
    )
    lang: str | None = Field(default=None, min_length=2, max_length=16)


class FeedHealth(BaseModel):
    """A feed and how its polling goes."""

    id: str
    url: str
    every_seconds: int
    lang: str | None
    paused: bool
    next_due_at: dt.datetime
    last_attempt_at: dt.datetime | None
    last_success_at: dt.datetime | None
    last_error_at: dt.datetime | None
    last_error: str | None
    failures: int
    items_seen: int
    created_at: dt.datetime

    @property
    def state(self) -> str:
        """What /metrics counts the feed as: paused, failing (since its last success) or ok."""
        if self.paused:
            return "paused"
        return "failing" if self.failures else "ok"
