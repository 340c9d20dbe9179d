"""The LSH index of story clusters, kept in PostgreSQL so that it survives restarts and every
worker sees the same one. An article's story is the id of the first article of that story."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, LargeBinary, String, func
from sqlalchemy.orm import Mapped, mapped_column

from models.tables import Base


class StorySignatureRow(Base):
    """One article's MinHash signature (128 unsigned 32-bit values, little-endian)."""

    __tablename__ = "story_signatures"

    article_id: Mapped[str] = mapped_column(
        String(512), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    story_id: Mapped[str] = mapped_column(String(512))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    shingles: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (Index("ix_story_signatures_story_id", "story_id"),)


class StoryBandRow(Base):
    """One LSH band of one signature: articles sharing a key are candidates for one story."""

    __tablename__ = "story_bands"

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[str] = mapped_column(
        String(512),
        ForeignKey("story_signatures.article_id", ondelete="CASCADE"),
        primary_key=True,
    )
