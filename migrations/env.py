"""Alembic environment: the database URL comes from dyadwatch's settings (or -x url=…)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from models.schema import metadata
from streams.settings import get_settings

config = context.config
target_metadata = metadata


def _url() -> str:
    given = context.get_x_argument(as_dictionary=True).get("url") or config.attributes.get("url")
    return str(given) if given else get_settings().require_database_url()


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        context.configure(connection=connectable, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
