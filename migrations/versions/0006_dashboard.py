"""dashboard: read-only API keys, sign-in sessions, and a wake-up for the change feed

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 14:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The dashboard's live feed sleeps on this channel; dyadwatch_notify() comes from 0003.
CHANGES_NOTIFY = """
CREATE TRIGGER dyad_changes_notify AFTER INSERT ON dyad_changes
FOR EACH STATEMENT EXECUTE FUNCTION dyadwatch_notify('dyadwatch_changes')
"""


def upgrade() -> None:
    op.add_column(
        "api_keys",
        sa.Column("read_only", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.create_table(
        "dashboard_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("api_key_id", sa.String(length=32), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"],
            ["api_keys.id"],
            name=op.f("fk_dashboard_sessions_api_key_id_api_keys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_dashboard_sessions")),
    )
    op.create_index(
        "ix_dashboard_sessions_expires_at", "dashboard_sessions", ["expires_at"], unique=False
    )
    op.execute(CHANGES_NOTIFY)


def downgrade() -> None:
    op.execute("DROP TRIGGER dyad_changes_notify ON dyad_changes")
    op.drop_index("ix_dashboard_sessions_expires_at", table_name="dashboard_sessions")
    op.drop_table("dashboard_sessions")
    op.drop_column("api_keys", "read_only")
