"""All SQL of the detect stage. Every write is an upsert keyed by deterministic ids, so a replay
of the same articles leaves the tables exactly as they were."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, delete, func, tuple_
from sqlalchemy.dialects.postgresql import insert

from models.events import Article, DetectedEvent, date_precision
from models.tables import ArticleRow, EventRow


def _event_date(value: str | None) -> tuple[dt.date | None, str | None]:
    if value is None:
        return None, None
    precision = date_precision(value)
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2]), precision


def _event_row(event: DetectedEvent) -> dict[str, Any]:
    day, precision = _event_date(event.date)
    return {
        "id": event.id,
        "article_id": event.article_id,
        "type": event.type,
        "actor": event.actor,
        "target": event.target,
        "status": event.status,
        "event_date": day,
        "date_precision": precision,
        "confidence": event.confidence,
        "lang": event.lang,
        "evidence_text": event.evidence.text,
        "evidence_start": event.evidence.start,
        "evidence_end": event.evidence.end,
        "partial": event.partial,
        "detector_version": event.detector_version,
    }


def save_batch(
    conn: Connection,
    articles: list[Article],
    events: dict[str, list[DetectedEvent]],
    version: str,
    stories: dict[str, str] | None = None,
) -> None:
    """Write articles (with their stories, when given) and their events in the caller's
    transaction."""
    if not articles:
        return
    rows = [
        {
            "id": a.id,
            "title": a.title,
            "url": a.url,
            "source": a.source,
            "published_at": a.published_at,
            "lang": a.lang or next((e.lang for e in events.get(a.id, [])), None),
            "text": a.text,
            "detector_version": version,
            "event_count": len(events.get(a.id, [])),
            "story_id": (stories or {}).get(a.id),
        }
        for a in articles
    ]
    stmt = insert(ArticleRow)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[ArticleRow.id],
            set_={
                "title": stmt.excluded.title,
                "url": stmt.excluded.url,
                "source": stmt.excluded.source,
                "published_at": stmt.excluded.published_at,
                "lang": stmt.excluded.lang,
                "text": stmt.excluded.text,
                "detector_version": stmt.excluded.detector_version,
                "event_count": stmt.excluded.event_count,
                # A replay without stories keeps the story the article was given.
                "story_id": func.coalesce(stmt.excluded.story_id, ArticleRow.story_id),
                "processed_at": func.now(),
            },
        ),
        rows,
    )
    # An article's events are what the current detector finds in it: drop findings that a
    # newer detector no longer makes, keep (and refresh) the ones it still makes.
    keep = [(e.article_id, e.id) for evs in events.values() for e in evs]
    ids = [a.id for a in articles]
    gone = delete(EventRow).where(EventRow.article_id.in_(ids))
    if keep:
        gone = gone.where(tuple_(EventRow.article_id, EventRow.id).not_in(keep))
    conn.execute(gone)
    event_rows = [_event_row(e) for evs in events.values() for e in evs]
    if event_rows:
        ev = insert(EventRow)
        conn.execute(
            ev.on_conflict_do_update(
                index_elements=[EventRow.id],
                set_={
                    c: getattr(ev.excluded, c)
                    for c in (
                        "event_date",
                        "date_precision",
                        "confidence",
                        "lang",
                        "evidence_text",
                        "evidence_start",
                        "evidence_end",
                        "partial",
                        "detector_version",
                    )
                },
            ),
            event_rows,
        )
