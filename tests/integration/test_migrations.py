"""The schema only through Alembic: up, down, up again, and no drift from the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from models.checks import vocabulary_checks
from models.schema import metadata
from streams.db import downgrade, migrate

pytestmark = pytest.mark.integration


def test_upgrade_downgrade_upgrade_and_no_drift(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert {"articles", "events"} <= set(inspect(engine).get_table_names())
        downgrade(database_url, "base")
        assert not {"articles", "events"} & set(inspect(engine).get_table_names())
        migrate(database_url)
        migrate(database_url)  # a second upgrade is a no-op, not an error
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
    finally:
        engine.dispose()


def _checks(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'c' AND conrelid IN ('events'::regclass, "
                "'dyad_periods'::regclass, 'dyad_signal_records'::regclass, "
                "'dyad_changes'::regclass)"
            )
        )
        return {name: definition for name, definition in rows}


def test_the_vocabulary_checks_stand_and_go_back_on_downgrade(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        standing = _checks(engine)
        for check in vocabulary_checks():
            assert check.constraint in standing, check.constraint
        assert "'relations.downgraded'" in standing["ck_events_type_known"]
        assert "'eased'" in standing["ck_dyad_periods_state_known"]
        with engine.begin() as conn, pytest.raises(IntegrityError):
            conn.execute(
                text(
                    "INSERT INTO dyad_changes (id, kind, dyad, dimension, valid_from, payload) "
                    "VALUES ('c1', 'state', 'US-VE', 'sanction', '2024-01-01', '{}')"
                )
            )
        downgrade(database_url, "0006")
        before = _checks(engine)
        assert "ck_dyad_periods_state_known" not in before
        assert "ck_dyad_changes_dimension_known" not in before
        assert before["ck_events_type_known"] == standing["ck_events_type_known"]
        assert "ck_dyad_signal_records_closure_known" in before
        migrate(database_url)
        assert set(_checks(engine)) == set(standing)
    finally:
        engine.dispose()
