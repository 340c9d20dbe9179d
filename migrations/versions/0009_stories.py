"""stories: each article's story, the LSH index of signatures and bands, and stories and
outlets counted beside articles in periods, signals and the reporting views

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 21:10:00.000000

The reporting views are dropped and created again with the new columns (a view's columns
can only be appended to, and `dyad_signals_as_of` names its columns one by one); the
downgrade puts back 0002's views, read from that migration, not copied.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REPORTING = (
    """
    CREATE VIEW dyad_history AS
    SELECT p.dyad, p.dimension, p.actor, p.target, p.direction, p.state,
           lower(p.valid) AS valid_from, upper(p.valid) AS valid_to, p.valid,
           p.precision AS since_precision, p.basis AS since_basis,
           p.articles, p.outlets, cardinality(p.event_ids) AS events, p.confidence,
           e.evidence_text AS latest_evidence, e.article_id AS latest_article_id,
           p.latest_event_id, p.event_ids, p.recorded_at, p.id AS period_id, p.stories
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
           s.latest_event_id, s.closed_by, s.event_ids, s.recorded_at, s.id AS signal_id,
           s.outlets, s.stories
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
             recorded_at, signal_id, outlets, stories
        FROM dyad_signal_history
       WHERE opened_on <= day AND expires_on > day AND (closed_on IS NULL OR closed_on > day)
    $$
    """,
    """
    CREATE VIEW dyad_signals AS
    SELECT * FROM dyad_signal_history WHERE outcome = 'open'
    """,
)


def _state_migration() -> ModuleType:
    """0002, where the reporting views, their drop order and the reader's grants live."""
    path = Path(__file__).with_name("0002_dyad_state.py")
    spec = importlib.util.spec_from_file_location("migration_0002", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _replace_views(views: Sequence[str]) -> None:
    state = _state_migration()
    for dropped in state.DROPPED:
        op.execute(f"DROP {dropped}")
    for statement in views:
        op.execute(statement)
    op.execute(state.READER)


def upgrade() -> None:
    op.add_column("articles", sa.Column("story_id", sa.String(length=512), nullable=True))
    op.create_index("ix_articles_story_id", "articles", ["story_id"], unique=False)
    op.create_table(
        "story_signatures",
        sa.Column("article_id", sa.String(length=512), nullable=False),
        sa.Column("story_id", sa.String(length=512), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("shingles", sa.Integer(), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_story_signatures_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_story_signatures")),
    )
    op.create_index("ix_story_signatures_story_id", "story_signatures", ["story_id"])
    op.create_table(
        "story_bands",
        sa.Column("band_key", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.String(length=512), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["story_signatures.article_id"],
            name=op.f("fk_story_bands_article_id_story_signatures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("band_key", "article_id", name=op.f("pk_story_bands")),
    )
    # Rows derived before stories were kept: each article was its own story, which is what
    # they counted. `dyadwatch rebuild` counts them anew.
    op.add_column("dyad_periods", sa.Column("stories", sa.Integer(), nullable=True))
    op.execute("UPDATE dyad_periods SET stories = articles")
    op.alter_column("dyad_periods", "stories", nullable=False)
    for column in ("outlets", "stories"):
        op.add_column("dyad_signal_records", sa.Column(column, sa.Integer(), nullable=True))
    op.execute("UPDATE dyad_signal_records SET stories = articles, outlets = 0")
    for column in ("outlets", "stories"):
        op.alter_column("dyad_signal_records", column, nullable=False)
    _replace_views(REPORTING)


def downgrade() -> None:
    _replace_views(_state_migration().REPORTING)
    op.drop_column("dyad_signal_records", "stories")
    op.drop_column("dyad_signal_records", "outlets")
    op.drop_column("dyad_periods", "stories")
    op.drop_table("story_bands")
    op.drop_index("ix_story_signatures_story_id", table_name="story_signatures")
    op.drop_table("story_signatures")
    op.drop_index("ix_articles_story_id", table_name="articles")
    op.drop_column("articles", "story_id")
