"""partial events: whether a report says the measure only eases is the detector's finding,
stored on the event

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 20:10:00.000000

Before this revision the state stage decided it when it read an event, from a word list of
its own. Events stored before it are marked here by that list as it stood (English and
Arabic only had one), so an upgraded store keeps its eased periods without re-detection;
`dyadwatch reprocess` later marks them by the lexicons' own easing cues.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.checks import partial_check, removal_ddl, renewal_ddl

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The state stage's word list at 0009, the last revision that decided easing at read time.
# fmt: off
_EN_WORDS = [
    "ease", "eased", "eases", "easing", "relax", "relaxed", "relaxes", "relaxing", "loosen",
    "loosened", "loosening", "some", "partial", "partially", "waive", "waived", "waives",
    "waiver", "waivers", "exemption", "exemptions", "exempted", "temporarily", "temporary",
    "suspend", "suspended", "suspends", "suspension",
]
_AR_STEMS = [
    "تخفيف", "خفف", "بعض", "جزئي", "تعليق", "إعفاء", "اعفاء", "استثناء", "مؤقت", "تليين",
]
# fmt: on
_LIFTINGS = "type = 'sanction.lifted'"  # the one kind with a partial state at 0009


def upgrade() -> None:
    op.add_column(
        "events", sa.Column("partial", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    words = r"\m(" + "|".join(_EN_WORDS) + r")\M"
    stems = " OR ".join(f"strpos(evidence_text, '{stem}') > 0" for stem in _AR_STEMS)
    op.execute(
        sa.text(
            f"UPDATE events SET partial = true WHERE {_LIFTINGS} AND ("
            "(lang = 'en' AND lower(evidence_text) ~ :words)"
            f" OR (lang = 'ar' AND ({stems})))"
        ).bindparams(words=words)
    )
    for statement in renewal_ddl([partial_check()]):
        op.execute(statement)


def downgrade() -> None:
    for statement in removal_ddl([partial_check()]):
        op.execute(statement)
    op.drop_column("events", "partial")
