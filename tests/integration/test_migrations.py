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


def test_events_stored_before_0010_keep_their_easings(database_url: str) -> None:
    engine = create_engine(database_url)
    rows = [
        ("e1", "sanction.lifted", "en", "Washington eased sanctions on Venezuela."),
        ("e2", "sanction.lifted", "en", "Sometimes Washington lifted sanctions on Cuba."),
        ("e3", "sanction.lifted", "ar", "قررت الولايات المتحدة تخفيف العقوبات على فنزويلا"),
        ("e4", "sanction.imposed", "en", "Washington imposed some sanctions on Venezuela."),
        ("e5", "sanction.lifted", "fr", "Washington a assoupli les sanctions."),
    ]
    try:
        downgrade(database_url, "0009")
        assert "partial" not in {c["name"] for c in inspect(engine).get_columns("events")}
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO articles (id, text, detector_version) VALUES ('a1', 'text', 'v0')"
                )
            )
            for event_id, kind, lang, evidence in rows:
                conn.execute(
                    text(
                        "INSERT INTO events (id, article_id, type, actor, target, status, "
                        "confidence, lang, evidence_text, evidence_start, evidence_end, "
                        "detector_version) VALUES (:id, 'a1', :type, 'US', 'VE', 'occurred', "
                        "0.9, :lang, :evidence, 0, 10, 'v0')"
                    ),
                    {"id": event_id, "type": kind, "lang": lang, "evidence": evidence},
                )
        migrate(database_url)
        with engine.connect() as conn:
            found = conn.execute(text("SELECT id, partial FROM events"))
            partial = {row.id: row.partial for row in found}
        # As the state stage read them at 0009: English words, Arabic stems, liftings only.
        assert partial == {"e1": True, "e2": False, "e3": True, "e4": False, "e5": False}
        with engine.begin() as conn, pytest.raises(IntegrityError, match="partial_fits_kind"):
            conn.execute(text("UPDATE events SET partial = true WHERE id = 'e4'"))
    finally:
        engine.dispose()
