"""The CHECK constraints that keep the database inside the vocabulary, written from it.

The tables declare them (`models.tables`, `models.state`) and migrations create them
(0008 first; a migration that changes the vocabulary renews them with `renewal_ddl`), so
the allowed kinds, statuses, dimensions and states are never typed out in SQL by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from models.vocabulary import VOCABULARY, Vocabulary


@dataclass(frozen=True)
class Check:
    table: str
    name: str  # as the tables declare it; the naming convention prefixes ck_<table>_
    sql: str

    @property
    def constraint(self) -> str:
        return f"ck_{self.table}_{self.name}"


def _among(column: str, values: Iterable[str]) -> str:
    return f"{column} IN (" + ",".join(f"'{v}'" for v in values) + ")"


def vocabulary_checks(vocabulary: Vocabulary = VOCABULARY) -> tuple[Check, ...]:
    kinds = tuple(vocabulary.kinds)
    dimensions = tuple(vocabulary.dimensions)
    ordered = [d.name for d in vocabulary.dimensions.values() if d.ordered]
    states = " OR ".join(
        f"(dimension = '{d.name}' AND {_among('state', d.states)})"
        for d in vocabulary.dimensions.values()
    )
    # A direction ("US>VE") is kept on ordered tracks only; the others hold the pair.
    direction = (
        f"(direction <> '') = ({_among('dimension', ordered)})" if ordered else ("direction = ''")
    )
    return (
        Check("events", "type_known", _among("type", kinds)),
        Check("events", "status_known", _among("status", vocabulary.statuses)),
        Check("dyad_periods", "dimension_known", _among("dimension", dimensions)),
        Check("dyad_periods", "state_known", states),
        Check("dyad_periods", "direction_fits_track", direction),
        Check("dyad_signal_records", "dimension_known", _among("dimension", dimensions)),
        Check("dyad_signal_records", "type_known", _among("type", kinds)),
        Check("dyad_signal_records", "direction_fits_track", direction),
        Check(
            "dyad_signal_records",
            "closure_known",
            f"closure IS NULL OR {_among('closure', vocabulary.closures)}",
        ),
        Check("dyad_changes", "dimension_known", _among("dimension", dimensions)),
    )


def partial_check(vocabulary: Vocabulary = VOCABULARY) -> Check:
    """Only an event of a kind with a partial state is partial (an easing is a lifting).

    Kept apart from `vocabulary_checks` because the column it checks came with 0010, after
    0008 first created those; a migration that changes the vocabulary renews both.
    """
    kinds = [code for code, kind in vocabulary.kinds.items() if kind.partial is not None]
    return Check("events", "partial_fits_kind", f"NOT partial OR {_among('type', kinds)}")


def check_sql(table: str, name: str, vocabulary: Vocabulary = VOCABULARY) -> str:
    """The condition of one of the checks, for a table's declaration."""
    checks = (*vocabulary_checks(vocabulary), partial_check(vocabulary))
    [sql] = [c.sql for c in checks if (c.table, c.name) == (table, name)]
    return sql


def renewal_ddl(checks: Iterable[Check]) -> list[str]:
    """Statements that put `checks` in place, whether or not an older version stands."""
    out = []
    for c in checks:
        out.append(f"ALTER TABLE {c.table} DROP CONSTRAINT IF EXISTS {c.constraint}")
        out.append(f"ALTER TABLE {c.table} ADD CONSTRAINT {c.constraint} CHECK ({c.sql})")
    return out


def removal_ddl(checks: Iterable[Check]) -> list[str]:
    return [f"ALTER TABLE {c.table} DROP CONSTRAINT IF EXISTS {c.constraint}" for c in checks]
