"""SQL of the webhook delivery queue: due deliveries are leased under SKIP LOCKED, so
several delivery loops never hold the same one, and every attempt is recorded."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, DateTime, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import insert

from streams.alerts.repository import ALERTS, ATTEMPTS, DELIVERIES, SUBSCRIPTIONS, body_of


@dataclass(frozen=True)
class Claim:
    alert_id: str
    subscription_id: str
    url: str
    secret: str
    body: bytes
    attempt: int  # the number of the attempt about to be made, from 1
    endpoint: str

    def __repr__(self) -> str:  # the secret must never reach a log line
        return f"Claim(alert_id={self.alert_id!r}, endpoint={self.endpoint!r})"


def claim_due(
    conn: Connection, *, free: dict[str, int], full: Sequence[str], limit: int, lease: float
) -> list[Claim]:
    """Lease due deliveries, at most `free.get(endpoint, default)` per endpoint.

    `free` holds the slots left on endpoints that are busy in this process, `full` the
    endpoints with none left; others get `free[""]` slots.
    """
    d, s, a = DELIVERIES.c, SUBSCRIPTIONS.c, ALERTS.c
    due = (
        select(d.alert_id, d.subscription_id, d.endpoint, d.attempts, s.webhook_url, s.secret)
        .join(SUBSCRIPTIONS, s.id == d.subscription_id)
        .where(
            d.status == "pending",
            d.next_attempt_at <= func.now(),
            (d.lease_until.is_(None)) | (d.lease_until < func.now()),
            s.active,
            s.channel == "webhook",
            d.endpoint.not_in(bindparam("full", expanding=True)) if full else text("true"),
        )
        .order_by(d.next_attempt_at)
        .limit(limit)
        .with_for_update(of=DELIVERIES, skip_locked=True)
    )
    taken: Counter[str] = Counter()
    picked = []
    for r in conn.execute(due, {"full": list(full)} if full else {}):
        if taken[r.endpoint] < free.get(r.endpoint, free[""]):
            taken[r.endpoint] += 1
            picked.append(r)
    if not picked:
        return []
    ids = [r.alert_id for r in picked]
    conn.execute(
        update(DELIVERIES)
        .where(d.alert_id.in_(ids))
        .values(lease_until=func.now() + dt.timedelta(seconds=lease))
    )
    bodies = dict(conn.execute(select(a.id, a.payload).where(a.id.in_(ids))).all())
    return [
        Claim(
            r.alert_id,
            r.subscription_id,
            r.webhook_url,
            r.secret,
            body_of(bodies[r.alert_id]),
            r.attempts + 1,
            r.endpoint,
        )
        for r in picked
    ]


def seconds_to_next_due(conn: Connection) -> float | None:
    d = DELIVERIES.c
    nearest: dt.datetime | None = conn.execute(
        select(func.min(func.greatest(d.next_attempt_at, d.lease_until))).where(
            d.status == "pending"
        )
    ).scalar_one()
    if nearest is None:
        return None
    return max(0.0, (nearest - dt.datetime.now(dt.UTC)).total_seconds())


@dataclass(frozen=True)
class Outcome:
    started_at: dt.datetime
    latency_ms: float
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def record_attempts(
    conn: Connection, results: Sequence[tuple[Claim, Outcome, float | None]]
) -> list[str]:
    """Store attempts and each delivery's new status (delivered, pending again with its next
    attempt after `retry_in` seconds, or dead when None), in one round trip per table."""
    if not results:
        return []
    now = dt.datetime.now(dt.UTC)
    conn.execute(
        insert(ATTEMPTS),
        [
            {
                "alert_id": c.alert_id,
                "attempt": c.attempt,
                "started_at": o.started_at,
                "status_code": o.status_code,
                "latency_ms": o.latency_ms,
                "error": o.error,
            }
            for c, o, _ in results
        ],
    )
    statuses = [
        "delivered" if o.ok else ("pending" if retry is not None else "dead")
        for _, o, retry in results
    ]
    d = DELIVERIES.c
    stmt = (
        update(DELIVERIES)
        .where(d.alert_id == bindparam("b_alert_id"))
        .values(
            status=bindparam("b_status"),
            attempts=bindparam("b_attempts"),
            lease_until=None,
            last_status_code=bindparam("b_code"),
            last_error=bindparam("b_error"),
            last_latency_ms=bindparam("b_latency"),
            delivered_at=bindparam("b_delivered_at"),
            next_attempt_at=func.coalesce(
                bindparam("b_next", type_=DateTime(timezone=True)), d.next_attempt_at
            ),
        )
    )
    conn.execute(
        stmt,
        [
            {
                "b_alert_id": c.alert_id,
                "b_status": status,
                "b_attempts": c.attempt,
                "b_code": o.status_code,
                "b_error": o.error,
                "b_latency": o.latency_ms,
                "b_delivered_at": now if o.ok else None,
                "b_next": now + dt.timedelta(seconds=retry)
                if retry is not None and not o.ok
                else None,
            }
            for (c, o, retry), status in zip(results, statuses, strict=True)
        ],
    )
    return statuses
