"""SQL of the alerts stage: subscriptions to match, evidence, alerts with their webhook
deliveries, and the alerts outbox. The delivery queue itself is in `queue`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select, text, update
from sqlalchemy.dialects.postgresql import insert

from models.alerts import (
    Alert,
    EvidenceItem,
    Filters,
)
from models.handles import ALERTS, DELIVERIES, SUBSCRIPTIONS
from models.state import DyadChange
from streams.alerts.match import Subscriber
from streams.ssrf import endpoint_of

# Held while alerts are inserted, so their seq values commit in order (see AlertRow.seq).
_ALERTS_LOCK = 7253902
MAX_EVIDENCE = 5


@dataclass(frozen=True)
class Target:
    subscriber: Subscriber
    channel: str
    webhook_url: str | None


def active_targets(conn: Connection) -> list[Target]:
    s = SUBSCRIPTIONS.c
    rows = conn.execute(
        select(s.id, s.filters, s.channel, s.webhook_url).where(s.active).order_by(s.id)
    )
    return [
        Target(Subscriber(r.id, Filters.model_validate(r.filters)), r.channel, r.webhook_url)
        for r in rows
    ]


Evidence = tuple[list[EvidenceItem], dt.datetime | None]


def evidence_for(conn: Connection, changes: Sequence[DyadChange]) -> dict[str, Evidence]:
    """Per change: its sentence first, then others behind the same period, with article URLs;
    and when the change's own event reached us."""
    wanted: dict[str, list[str]] = {c.id: [c.event_id] for c in changes}
    states = [c for c in changes if c.kind in ("state", "state.reinforced")]
    if states:
        periods = conn.execute(
            text(
                "SELECT dyad, dimension, state, lower(valid) AS valid_from, event_ids "
                "FROM dyad_periods WHERE dyad = ANY(:dyads)"
            ),
            {"dyads": sorted({c.dyad for c in states})},
        ).all()
        support = {(p.dyad, p.dimension, p.state, p.valid_from): p.event_ids for p in periods}
        for c in states:
            others = support.get((c.dyad, c.dimension, c.state, c.valid_from), [])
            wanted[c.id] += [e for e in others if e != c.event_id]
    ids = sorted({e for evs in wanted.values() for e in evs})
    rows = conn.execute(
        text(
            "SELECT e.id, e.evidence_text, e.article_id, a.url, e.recorded_at FROM events e "
            "JOIN articles a ON a.id = e.article_id WHERE e.id = ANY(:ids)"
        ),
        {"ids": ids},
    ).all()
    found = {r.id: r for r in rows}
    out: dict[str, Evidence] = {}
    for c in changes:
        first = found.get(c.event_id)
        rest = sorted(
            (found[e] for e in wanted[c.id][1:] if e in found), key=lambda r: r.recorded_at
        )
        picked = ([first] if first else []) + rest
        items = [
            EvidenceItem(text=r.evidence_text, article_id=r.article_id, url=r.url, event_id=r.id)
            for r in picked[:MAX_EVIDENCE]
        ]
        out[c.id] = (items, first.recorded_at if first else None)
    return out


def store_alerts(
    conn: Connection, alerts: Sequence[tuple[Alert, dt.datetime | None]], webhooks: dict[str, str]
) -> list[str]:
    """Insert new alerts and their webhook deliveries; ids of those that were new.

    Replays insert nothing: the ids are deterministic and conflicts are skipped.
    """
    if not alerts:
        return []
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ALERTS_LOCK})
    rows = [
        {
            "id": a.id,
            "subscription_id": a.subscription_id,
            "change_id": a.change_id,
            "dyad": a.dyad,
            "payload": a.model_dump(mode="json"),
            "source_recorded_at": recorded,
        }
        for a, recorded in alerts
    ]
    stmt = insert(ALERTS).on_conflict_do_nothing(index_elements=["id"]).returning(ALERTS.c.id)
    new = [r[0] for r in conn.execute(stmt, rows)]
    hooks = [
        {
            "alert_id": a.id,
            "subscription_id": a.subscription_id,
            "endpoint": endpoint_of(webhooks[a.subscription_id]),
        }
        for a, _ in alerts
        if a.id in set(new) and a.subscription_id in webhooks
    ]
    if hooks:
        conn.execute(insert(DELIVERIES).on_conflict_do_nothing(), hooks)
    return new


def unpublished_alerts(conn: Connection, limit: int = 500) -> list[tuple[str, str, bytes]]:
    """(id, subscription id, JSON) of alerts not yet on the topic, locked for this transaction."""
    a = ALERTS.c
    query = (
        select(a.id, a.subscription_id, a.payload)
        .where(a.published_at.is_(None))
        .order_by(a.seq)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [(r.id, r.subscription_id, body_of(r.payload)) for r in conn.execute(query)]


def mark_alerts_published(conn: Connection, ids: Iterable[str]) -> None:
    ids = list(ids)
    if ids:
        conn.execute(update(ALERTS).where(ALERTS.c.id.in_(ids)).values(published_at=func.now()))


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
