"""The one way from our SQLAlchemy database URL to the libpq form that `psql` and psycopg take.

Settings hold `postgresql+psycopg://…` because SQLAlchemy picks its driver from the scheme;
libpq knows only `postgresql://`. The rest (user, password, host, query) carries over.
"""

from __future__ import annotations

from sqlalchemy import make_url


def libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
