"""SQL of the webhook delivery queue: due deliveries are leased in one statement, so several
delivery loops never hold the same one, and every attempt is recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, DateTime, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import insert

from models.handles import ATTEMPTS, DELIVERIES
from streams.alerts.repository import body_of
from streams.sealing import Sealer, Unsealable


@dataclass(frozen=True)
class Claim:
    alert_id: str
    subscription_id: str
    url: str
    secret: str | None  # None: sealed under a key we do not have
    body: bytes
    attempt: int  # the number of the attempt about to be made, from 1
    endpoint: str

    def __repr__(self) -> str:  # the secret must never reach a log line
        return f"Claim(alert_id={self.alert_id!r}, endpoint={self.endpoint!r})"


SCAN_FACTOR = 5  # due rows ranked per claim, as a multiple of the claim's limit

# One round trip: rank the due deliveries per endpoint, keep what the endpoints' free slots
# allow, lease them and return them with their URL, secret and body. Two loops that pick
# the same row both try to lease it; the second waits for the first to commit, then sees
# the new lease and skips the row, so a delivery is never held twice.
_CLAIM = text(
    """
    WITH due AS (
        SELECT d.alert_id, d.endpoint, d.next_attempt_at
          FROM deliveries d
          JOIN subscriptions s ON s.id = d.subscription_id
         WHERE d.status = 'pending'
           AND d.next_attempt_at <= now()
           AND (d.lease_until IS NULL OR d.lease_until < now())
           AND s.active AND s.channel = 'webhook'
           AND NOT d.endpoint = ANY(CAST(:full AS text[]))
         ORDER BY d.next_attempt_at
         LIMIT :scan
    ), ranked AS (
        SELECT due.*,
               row_number() OVER (
                   PARTITION BY due.endpoint ORDER BY due.next_attempt_at, due.alert_id
               ) AS place
          FROM due
    ), picked AS (
        SELECT ranked.alert_id
          FROM ranked
          LEFT JOIN unnest(CAST(:busy AS text[]), CAST(:left AS int[])) AS b(endpoint, left_)
            ON b.endpoint = ranked.endpoint
         WHERE ranked.place <= coalesce(b.left_, :slots)
         ORDER BY ranked.next_attempt_at
         LIMIT :limit
    ), leased AS (
        UPDATE deliveries d
           SET lease_until = now() + make_interval(secs => :lease)
          FROM picked
         WHERE d.alert_id = picked.alert_id
           AND d.status = 'pending'
           AND (d.lease_until IS NULL OR d.lease_until < now())
        RETURNING d.alert_id, d.subscription_id, d.endpoint, d.attempts
    )
    SELECT l.alert_id, l.subscription_id, l.endpoint, l.attempts, s.webhook_url, s.secret,
           a.payload
      FROM leased l
      JOIN subscriptions s ON s.id = l.subscription_id
      JOIN alerts a ON a.id = l.alert_id
    """
)


def claim_due(
    conn: Connection, *, free: dict[str, int], limit: int, lease: float, sealer: Sealer
) -> list[Claim]:
    """Lease due deliveries, at most `free.get(endpoint, free[""])` per endpoint.

    `free` holds the slots left on endpoints that are busy in this process; others get
    `free[""]` slots.
    """
    busy = [e for e in free if e]
    params = {
        "full": [e for e in busy if free[e] <= 0],
        "scan": limit * SCAN_FACTOR,
        "busy": busy,
        "left": [max(free[e], 0) for e in busy],
        "slots": free[""],
        "limit": limit,
        "lease": lease,
    }
    return [
        Claim(
            r.alert_id,
            r.subscription_id,
            r.webhook_url,
            _opened(sealer, r.secret),
            body_of(r.payload),
            r.attempts + 1,
            r.endpoint,
        )
        for r in conn.execute(_CLAIM, params)
    ]


def _opened(sealer: Sealer, stored: str | None) -> str | None:
    """The secret to sign with; None if it cannot be opened (the attempt fails, and says why)."""
    if stored is None:
        return None
    try:
        return sealer.open(stored)
    except Unsealable:
        return None


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
