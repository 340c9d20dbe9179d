"""`dyadwatch reprocess`: detection run again over stored articles after a detector upgrade,
then dyad state rebuilt from the new events.

The articles table keeps every article's text, so nothing is read back from Kafka. Each batch
of articles is re-detected and written in its own transaction through the detect stage's own
upsert (findings the new detector no longer makes are dropped, the others refreshed), and the
rebuild that follows compares every track with what it held: the change log gains only what
the upgrade changed (periods added, revised or retracted), never the whole history again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy import ColumnElement, Engine, func, select
from tqdm import tqdm

from models.events import Article, DetectedEvent
from models.tables import ArticleRow, EventRow
from streams.detect.process import detect_article
from streams.detect.repository import save_batch
from streams.state.repository import RebuildReport, rebuild

BATCH = 200  # articles per transaction: a crash loses at most one batch's work, redone next run


@dataclass
class ReprocessReport:
    articles: int = 0
    events_before: int = 0
    events_after: int = 0
    # Articles left as they were, by reason ("unreadable: ..."); their old events stay.
    skipped: dict[str, int] = field(default_factory=dict)
    state: RebuildReport | None = None

    def __str__(self) -> str:
        lines = [
            f"{self.articles} articles re-detected: events {self.events_before} -> "
            f"{self.events_after}"
        ]
        lines += [f"  skipped ({reason}): {n}" for reason, n in sorted(self.skipped.items())]
        if self.state is not None:
            lines.append(str(self.state))
        return "\n".join(lines)


def _selection(since: dt.date | None, version: str, every: bool) -> list[ColumnElement[bool]]:
    """Which articles: published on or after `since` (all dates without it), and unless
    `every`, only those an older detector read."""
    where: list[ColumnElement[bool]] = []
    if since is not None:
        where.append(ArticleRow.published_at >= since)
    if not every:
        where.append(ArticleRow.detector_version != version)
    return where


# What an Article is made of again. The articles table does not keep how precise the source's
# date was, so a month-precise date comes back as that month's first day.
_COLUMNS = (
    ArticleRow.id,
    ArticleRow.text,
    ArticleRow.title,
    ArticleRow.url,
    ArticleRow.source,
    ArticleRow.published_at,
    ArticleRow.lang,
)


def reprocess(
    engine: Engine,
    *,
    version: str,
    since: dt.date | None = None,
    every: bool = False,
    expiry_days: int,
    detect: Callable[[Article, str], list[DetectedEvent]] = detect_article,
    progress: bool = True,
) -> ReprocessReport:
    report = ReprocessReport()
    where = _selection(since, version, every)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(ArticleRow).where(*where)).scalar()
    bar = tqdm(total=total or 0, unit="article", desc="reprocess", disable=not progress)
    last = ""
    while True:
        # Keyset pages by id: an article written meanwhile by a live worker at the new version
        # drops out of the selection, and no page shifts under the next one.
        with engine.begin() as conn:
            rows = conn.execute(
                select(*_COLUMNS)
                .where(*where, ArticleRow.id > last)
                .order_by(ArticleRow.id)
                .limit(BATCH)
            ).all()
            if not rows:
                break
            last = rows[-1].id
            held = dict(
                conn.execute(
                    select(EventRow.article_id, func.count())
                    .where(EventRow.article_id.in_([r.id for r in rows]))
                    .group_by(EventRow.article_id)
                ).all()
            )
            articles: list[Article] = []
            events: dict[str, list[DetectedEvent]] = {}
            for row in rows:
                try:
                    article = Article(**row._mapping)
                    found = detect(article, version)
                except (ValidationError, ValueError, RecursionError) as exc:
                    # Kept as it is, old events and all, and counted: one article never
                    # stops the run.
                    reason = type(exc).__name__
                    report.skipped[reason] = report.skipped.get(reason, 0) + 1
                    continue
                articles.append(article)
                events[article.id] = found
                report.events_before += held.get(article.id, 0)
                report.events_after += len(found)
            save_batch(conn, articles, events, version)
            report.articles += len(articles)
            bar.update(len(rows))
    bar.close()
    with engine.begin() as conn:
        report.state = rebuild(conn, expiry_days=expiry_days)
    return report
