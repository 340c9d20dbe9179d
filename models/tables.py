"""PostgreSQL tables (SQLAlchemy 2). The schema itself only changes through Alembic migrations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from models.checks import check_sql

# A fixed naming convention keeps constraint names stable, so migrations never drift.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(512), primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[dt.date | None] = mapped_column(Date)
    lang: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    detector_version: Mapped[str] = mapped_column(String(64))
    event_count: Mapped[int] = mapped_column(Integer, server_default="0")
    # The first article of the story this one tells (itself when it is the first); null for
    # articles stored before stories were kept.
    story_id: Mapped[str | None] = mapped_column(String(512))
    # Recorded time: when we first learned of the article; never moved by a replay.
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    processed_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (
        Index("ix_articles_published_at", "published_at"),
        Index("ix_articles_story_id", "story_id"),
    )


class EventRow(Base):
    __tablename__ = "events"

    # Deterministic: a hash of article, type, pair, status and detector version.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    article_id: Mapped[str] = mapped_column(
        String(512), ForeignKey("articles.id", ondelete="CASCADE")
    )
    type: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(2))
    target: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16))
    # The event's own date as the text gives it, with its precision; null when it gives none.
    event_date: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(8))
    confidence: Mapped[float] = mapped_column(Float)
    lang: Mapped[str] = mapped_column(String(16))
    evidence_text: Mapped[str] = mapped_column(Text)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    # The report says the measure only eases (see `models.events.Event.partial`).
    partial: Mapped[bool] = mapped_column(Boolean, server_default=false())
    detector_version: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (
        CheckConstraint(check_sql("events", "type_known"), name="type_known"),
        CheckConstraint(check_sql("events", "status_known"), name="status_known"),
        CheckConstraint(check_sql("events", "partial_fits_kind"), name="partial_fits_kind"),
        CheckConstraint("actor <> target", name="two_parties"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
        CheckConstraint(
            "date_precision IS NULL OR date_precision IN ('year','month','day')",
            name="precision_known",
        ),
        Index("ix_events_article_id", "article_id"),
        Index("ix_events_pair", "actor", "target"),
        Index("ix_events_type_status", "type", "status"),
    )
