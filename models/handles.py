"""The tables as SQLAlchemy Core handles, made once from the mapped rows.

Repositories write Core statements (upserts, bulk deletes) against these rather than each
deriving its own from `Row.__table__`, whose declared type is the wider `FromClause`.
"""

from __future__ import annotations

from sqlalchemy import Table

from models.alerts import (
    AlertRow,
    ApiKeyRow,
    DashboardSessionRow,
    DeliveryAttemptRow,
    DeliveryRow,
    SubscriptionRow,
)
from models.deadletters import DeadLetterRow
from models.feeds import FeedItemRow, FeedRow
from models.state import DyadChangeRow, DyadPeriodRow, DyadSignalRow, StateAppliedRow
from models.stories import StoryBandRow, StorySignatureRow
from models.tables import ArticleRow, Base, EventRow


def _table(row: type[Base]) -> Table:
    table = row.__table__
    if not isinstance(table, Table):  # a mapped row always has a Table; this says so to mypy
        raise TypeError(f"{row.__name__} is not mapped to a table")
    return table


ARTICLES = _table(ArticleRow)
EVENTS = _table(EventRow)
PERIODS = _table(DyadPeriodRow)
SIGNALS = _table(DyadSignalRow)
CHANGES = _table(DyadChangeRow)
APPLIED = _table(StateAppliedRow)
SIGNATURES = _table(StorySignatureRow)
BANDS = _table(StoryBandRow)
API_KEYS = _table(ApiKeyRow)
SESSIONS = _table(DashboardSessionRow)
SUBSCRIPTIONS = _table(SubscriptionRow)
ALERTS = _table(AlertRow)
DELIVERIES = _table(DeliveryRow)
ATTEMPTS = _table(DeliveryAttemptRow)
FEEDS = _table(FeedRow)
FEED_ITEMS = _table(FeedItemRow)
DEAD_LETTERS = _table(DeadLetterRow)
