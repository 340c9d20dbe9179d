"""state applied events: the state stage derives a track from the events it has applied

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 04:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "state_applied_events",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column(
            "applied_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_state_applied_events_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_state_applied_events")),
    )
    # Until now the state stage derived from every stored event: all of them count as applied.
    op.execute("INSERT INTO state_applied_events (event_id) SELECT id FROM events")


def downgrade() -> None:
    op.drop_table("state_applied_events")
