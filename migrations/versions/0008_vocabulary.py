"""vocabulary: the CHECK constraints on kinds, statuses, dimensions and states, from the vocabulary

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 17:45:00.000000

0001 and 0002 wrote the allowed kinds, statuses and dimensions out by hand. From here on the
constraints are written from `models/vocabulary.yaml` (`models.checks`), and the tracks'
states, directions and signal types are checked too. A later migration that changes the
vocabulary runs `renewal_ddl(vocabulary_checks())` again, and its downgrade puts back the
constraints of the vocabulary before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from models.checks import Check, removal_ddl, renewal_ddl, vocabulary_checks

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The constraints as 0001 and 0002 created them, restored on the way down.
_BEFORE = (
    Check(
        "events",
        "type_known",
        "type IN ('sanction.imposed','sanction.lifted','relations.severed','relations.downgraded','relations.restored','oil.halted','oil.reduced','oil.resumed')",
    ),
    Check("events", "status_known", "status IN ('occurred','considered','denied')"),
    Check("dyad_periods", "dimension_known", "dimension IN ('diplomatic','sanctions','oil')"),
    Check(
        "dyad_signal_records",
        "closure_known",
        "closure IS NULL OR closure IN ('confirmed','denied')",
    ),
)


def upgrade() -> None:
    for statement in renewal_ddl(vocabulary_checks()):
        op.execute(statement)


def downgrade() -> None:
    for statement in removal_ddl(vocabulary_checks()) + renewal_ddl(_BEFORE):
        op.execute(statement)
