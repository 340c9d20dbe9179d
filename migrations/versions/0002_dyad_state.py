"""dyad state: periods, signals, the change outbox, reporting views and the reader role

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 22:52:07.116148
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Open signals: as of a past day, a signal lapses `expiry` days after its latest report in valid
# time (expires_on); today's open signals are judged in recorded time (lapses_at), so an old
# article read today still shows what it threatened until the expiry has passed on our clock.
# Reporting views read through to the tables with the owner's rights, so the reader role needs
# SELECT on the views only. The as-of functions run as their caller and select from the views.
REPORTING = (
    """
    CREATE VIEW dyad_history AS
    SELECT p.dyad, p.dimension, p.actor, p.target, p.direction, p.state,
           lower(p.valid) AS valid_from, upper(p.valid) AS valid_to, p.valid,
           p.precision AS since_precision, p.basis AS since_basis,
           p.articles, p.outlets, cardinality(p.event_ids) AS events, p.confidence,
           e.evidence_text AS latest_evidence, e.article_id AS latest_article_id,
           p.latest_event_id, p.event_ids, p.recorded_at, p.id AS period_id
      FROM dyad_periods p
      LEFT JOIN events e ON e.id = p.latest_event_id
    """,
    """
    CREATE VIEW dyad_status AS
    SELECT * FROM dyad_history WHERE upper_inf(valid)
    """,
    """
    CREATE FUNCTION dyad_status_as_of(day date) RETURNS SETOF dyad_history
    LANGUAGE sql STABLE AS $$ SELECT * FROM dyad_history WHERE valid @> day $$
    """,
    """
    CREATE VIEW dyad_signal_history AS
    SELECT s.dyad, s.dimension, s.type, s.actor, s.target,
           s.opened_on, s.precision AS opened_precision, s.basis AS opened_basis,
           s.expires_on, s.lapses_at, s.closed_on, s.closure,
           CASE WHEN s.closure IS NOT NULL THEN s.closure
                WHEN s.lapses_at <= now() THEN 'expired'
                ELSE 'open' END AS outcome,
           s.articles, cardinality(s.event_ids) AS events, s.confidence,
           e.evidence_text AS latest_evidence, e.article_id AS latest_article_id,
           s.latest_event_id, s.closed_by, s.event_ids, s.recorded_at, s.id AS signal_id
      FROM dyad_signal_records s
      LEFT JOIN events e ON e.id = s.latest_event_id
    """,
    """
    CREATE FUNCTION dyad_signals_as_of(day date) RETURNS SETOF dyad_signal_history
    LANGUAGE sql STABLE AS $$
      -- Open on that day by construction, whatever became of the signal since.
      SELECT dyad, dimension, type, actor, target, opened_on, opened_precision, opened_basis,
             expires_on, lapses_at, closed_on, closure, 'open'::text, articles, events, confidence,
             latest_evidence, latest_article_id, latest_event_id, closed_by, event_ids,
             recorded_at, signal_id
        FROM dyad_signal_history
       WHERE opened_on <= day AND expires_on > day AND (closed_on IS NULL OR closed_on > day)
    $$
    """,
    """
    CREATE VIEW dyad_signals AS
    SELECT * FROM dyad_signal_history WHERE outcome = 'open'
    """,
)

# Created without LOGIN: an administrator gives people their own login roles IN ROLE
# dyadwatch_reader. A migration user without CREATEROLE gets a notice instead of a failure.
READER = """
DO $$
BEGIN
  BEGIN
    CREATE ROLE dyadwatch_reader NOLOGIN;
  EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;
    WHEN insufficient_privilege THEN
      RAISE NOTICE 'cannot create role dyadwatch_reader; reporting grants skipped';
  END;
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'dyadwatch_reader') THEN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO dyadwatch_reader', current_schema());
    GRANT SELECT ON dyad_status, dyad_history, dyad_signals, dyad_signal_history
      TO dyadwatch_reader;
    GRANT EXECUTE ON FUNCTION dyad_status_as_of(date), dyad_signals_as_of(date)
      TO dyadwatch_reader;
  END IF;
END
$$
"""

UNGRANT = """
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'dyadwatch_reader') THEN
    EXECUTE format('REVOKE USAGE ON SCHEMA %I FROM dyadwatch_reader', current_schema());
  END IF;
END
$$
"""

DROPPED = (
    "VIEW dyad_signals",
    "FUNCTION dyad_signals_as_of(date)",
    "VIEW dyad_signal_history",
    "FUNCTION dyad_status_as_of(date)",
    "VIEW dyad_status",
    "VIEW dyad_history",
)


def upgrade() -> None:
    # The exclusion constraint compares text columns with = inside a GiST index.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.create_table(
        "dyad_changes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("dyad", sa.String(length=5), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dyad_changes")),
    )
    op.create_index("ix_dyad_changes_dyad", "dyad_changes", ["dyad"], unique=False)
    op.create_index("ix_dyad_changes_published_at", "dyad_changes", ["published_at"], unique=False)
    op.create_table(
        "dyad_periods",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("dyad", sa.String(length=5), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=5), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=2), nullable=False),
        sa.Column("target", sa.String(length=2), nullable=False),
        sa.Column("valid", postgresql.DATERANGE(), nullable=False),
        sa.Column("precision", sa.String(length=8), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("event_ids", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("first_event_id", sa.String(length=64), nullable=False),
        sa.Column("latest_event_id", sa.String(length=64), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("outlets", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("dyad"), "="),
            (sa.column("dimension"), "="),
            (sa.column("direction"), "="),
            (sa.column("valid"), "&&"),
            using="gist",
            name="ex_dyad_periods_no_overlap",
        ),
        sa.CheckConstraint(
            "dimension IN ('diplomatic','sanctions','oil')",
            name=op.f("ck_dyad_periods_dimension_known"),
        ),
        sa.CheckConstraint("NOT isempty(valid)", name=op.f("ck_dyad_periods_valid_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dyad_periods")),
    )
    op.create_index("ix_dyad_periods_dyad", "dyad_periods", ["dyad"], unique=False)
    op.create_table(
        "dyad_signal_records",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("dyad", sa.String(length=5), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=5), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=2), nullable=False),
        sa.Column("target", sa.String(length=2), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("precision", sa.String(length=8), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("lapses_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_ids", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("latest_event_id", sa.String(length=64), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closure", sa.String(length=16), nullable=True),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "closure IS NULL OR closure IN ('confirmed','denied')",
            name=op.f("ck_dyad_signal_records_closure_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dyad_signal_records")),
    )
    op.create_index("ix_dyad_signal_records_dyad", "dyad_signal_records", ["dyad"], unique=False)
    for statement in REPORTING:
        op.execute(statement)
    op.execute(READER)


def downgrade() -> None:
    # The role is cluster-wide and may serve other databases: only this database's grants go.
    op.execute(UNGRANT)
    for name in DROPPED:
        op.execute(f"DROP {name}")
    op.drop_index("ix_dyad_signal_records_dyad", table_name="dyad_signal_records")
    op.drop_table("dyad_signal_records")
    op.drop_index("ix_dyad_periods_dyad", table_name="dyad_periods")
    op.drop_table("dyad_periods")
    op.drop_index("ix_dyad_changes_published_at", table_name="dyad_changes")
    op.drop_index("ix_dyad_changes_dyad", table_name="dyad_changes")
    op.drop_table("dyad_changes")
    # btree_gist stays: other schemas of the database may rely on it.
