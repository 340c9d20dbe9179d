"""Readable views of what PostgreSQL holds, for people at a terminal."""

from __future__ import annotations

import json
import sys
import time

from sqlalchemy import select

from models.handles import EVENTS
from models.vocabulary import VOCABULARY
from streams.db import engine_for
from streams.settings import Settings

# Columns as wide as the longest kind (and a space) and the longest status.
_TYPE = max(len(code) for code in VOCABULARY.kinds) + 1
_STATUS = max(len(name) for name in VOCABULARY.statuses)


def print_events(settings: Settings, *, article: str | None, wait: float, fmt: str) -> int:
    engine = engine_for(settings.require_database_url())
    query = select(EVENTS).order_by(EVENTS.c.article_id, EVENTS.c.type, EVENTS.c.actor)
    if article:
        query = query.where(EVENTS.c.article_id == article)
    deadline = time.monotonic() + wait
    while True:
        with engine.connect() as conn:
            rows = list(conn.execute(query))
        if rows or time.monotonic() >= deadline:
            break
        time.sleep(0.3)
    if fmt == "json":
        for row in rows:
            print(json.dumps(row._asdict(), ensure_ascii=False, default=str))
        return 0
    if not rows:
        print("no events", file=sys.stderr)
        return 0
    print(f"{'type':<{_TYPE}} {'pair':<7} {'status':<{_STATUS}} {'date':<10} {'conf':>4}  evidence")
    for r in rows:
        date = "" if r.event_date is None else _shown(r.event_date.isoformat(), r.date_precision)
        evidence = " ".join(r.evidence_text.split())
        if len(evidence) > 90:
            evidence = evidence[:87] + "..."
        print(
            f"{r.type:<{_TYPE}} {r.actor}>{r.target:<4} {r.status:<{_STATUS}} {date:<10} "
            f"{r.confidence:4.2f}  {evidence}"
        )
    return 0


def _shown(iso: str, precision: str | None) -> str:
    return {"year": iso[:4], "month": iso[:7]}.get(precision or "day", iso)
