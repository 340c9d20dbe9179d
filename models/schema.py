"""Every table on one metadata: what Alembic compares the database with.

Kept apart from the package's __init__ so that code needing only the wire models (the ingest
CLI, the detector) does not pay for importing SQLAlchemy's table machinery."""

from __future__ import annotations

from models import alerts, deadletters, feeds, state, stories, tables

metadata = tables.Base.metadata

__all__ = ["alerts", "deadletters", "feeds", "metadata", "state", "stories", "tables"]
