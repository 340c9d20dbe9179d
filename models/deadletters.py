"""The dead letters the worker's stages wrote, as PostgreSQL counts them for `/metrics` and
`dyadwatch deadletter list`. The payloads themselves stay on the dead-letter topic."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    DateTime,
    Identity,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.tables import Base


class DeadLetterRow(Base):
    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    stage: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(String(128))
    detail: Mapped[str] = mapped_column(Text)
    origin_topic: Mapped[str | None] = mapped_column(Text)
    origin_partition: Mapped[int | None] = mapped_column(Integer)
    origin_offset: Mapped[int | None] = mapped_column(BigInteger)
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (
        # A replayed batch records its dead letters once.
        UniqueConstraint(
            "stage",
            "origin_topic",
            "origin_partition",
            "origin_offset",
            name="uq_dead_letters_origin",
        ),
        Index("ix_dead_letters_reason", "stage", "reason"),
    )
