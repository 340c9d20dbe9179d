"""articles and events

Revision ID: 0001
Revises:
Create Date: 2026-11-27 22:37:17.911335
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(length=512), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("published_at", sa.Date(), nullable=True),
        sa.Column("lang", sa.String(length=16), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("detector_version", sa.String(length=64), nullable=False),
        sa.Column("event_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "processed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
    )
    op.create_index("ix_articles_published_at", "articles", ["published_at"], unique=False)
    op.create_table(
        "events",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("article_id", sa.String(length=512), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=2), nullable=False),
        sa.Column("target", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.String(length=8), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.Column("evidence_text", sa.Text(), nullable=False),
        sa.Column("evidence_start", sa.Integer(), nullable=False),
        sa.Column("evidence_end", sa.Integer(), nullable=False),
        sa.Column("detector_version", sa.String(length=64), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "date_precision IS NULL OR date_precision IN ('year','month','day')",
            name=op.f("ck_events_precision_known"),
        ),
        sa.CheckConstraint(
            "status IN ('occurred','considered','denied')", name=op.f("ck_events_status_known")
        ),
        sa.CheckConstraint(
            "type IN ('sanction.imposed','sanction.lifted','relations.severed','relations.downgraded','relations.restored','oil.halted','oil.reduced','oil.resumed')",
            name=op.f("ck_events_type_known"),
        ),
        sa.CheckConstraint("actor <> target", name=op.f("ck_events_two_parties")),
        sa.CheckConstraint(
            "confidence >= 0 AND confidence <= 1", name=op.f("ck_events_confidence_range")
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_events_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index("ix_events_article_id", "events", ["article_id"], unique=False)
    op.create_index("ix_events_pair", "events", ["actor", "target"], unique=False)
    op.create_index("ix_events_type_status", "events", ["type", "status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_events_type_status", table_name="events")
    op.drop_index("ix_events_pair", table_name="events")
    op.drop_index("ix_events_article_id", table_name="events")
    op.drop_table("events")
    op.drop_index("ix_articles_published_at", table_name="articles")
    op.drop_table("articles")
