"""The schema only through Alembic: up, down, up again, and no drift from the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

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
