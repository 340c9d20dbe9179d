"""SQL of the subscription resources. Every query is scoped to the calling key, so a key can
neither see nor change another key's subscriptions (they are simply not found)."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert

from models.alerts import (
    Filters,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPatch,
)
from models.handles import ATTEMPTS, DELIVERIES, SUBSCRIPTIONS
from streams.sealing import Sealer
from streams.web.errors import Conflict, Invalid, NotFound

MAX_PER_KEY = 1000


def _out(row: RowMapping, secret: str | None = None) -> SubscriptionOut:
    return SubscriptionOut(
        id=row["id"],
        name=row["name"],
        filters=Filters.model_validate(row["filters"]),
        channel=row["channel"],
        webhook_url=row["webhook_url"],
        active=row["active"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        secret=secret,
    )


def _columns() -> list[Any]:
    s = SUBSCRIPTIONS.c
    return [s.id, s.name, s.filters, s.channel, s.webhook_url, s.active, s.created_at, s.updated_at]


def create(conn: Connection, key_id: str, new: SubscriptionIn, sealer: Sealer) -> SubscriptionOut:
    s = SUBSCRIPTIONS.c
    count = conn.execute(select(func.count()).where(s.api_key_id == key_id)).scalar_one()
    if count >= MAX_PER_KEY:
        raise Conflict(f"a key may hold at most {MAX_PER_KEY} subscriptions")
    generated = None
    secret = new.secret
    if new.channel == "webhook":
        if new.webhook_url is None:
            raise Invalid("a webhook subscription needs webhook_url")
        if secret is None:
            secret = generated = "whsec_" + secrets.token_urlsafe(24)
    row = conn.execute(
        insert(SUBSCRIPTIONS)
        .values(
            id=uuid.uuid4().hex,
            api_key_id=key_id,
            name=new.name,
            filters=new.filters.model_dump(mode="json"),
            channel=new.channel,
            webhook_url=str(new.webhook_url) if new.webhook_url else None,
            secret=sealer.seal(secret) if secret is not None else None,
        )
        .returning(*_columns())
    ).mappings()
    return _out(row.one(), generated)


def list_for(conn: Connection, key_id: str) -> list[SubscriptionOut]:
    s = SUBSCRIPTIONS.c
    rows = conn.execute(select(*_columns()).where(s.api_key_id == key_id).order_by(s.created_at))
    return [_out(r) for r in rows.mappings()]


def get(conn: Connection, key_id: str, sub_id: str) -> SubscriptionOut:
    s = SUBSCRIPTIONS.c
    row = (
        conn.execute(select(*_columns()).where(s.id == sub_id, s.api_key_id == key_id))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"no subscription {sub_id[:64]!r}")
    return _out(row)


def patch(
    conn: Connection, key_id: str, sub_id: str, change: SubscriptionPatch, sealer: Sealer
) -> SubscriptionOut:
    current = get(conn, key_id, sub_id)
    given = change.model_dump(exclude_unset=True)
    # A null name clears it; a null `active` (or any other null) leaves the value as it is.
    values: dict[str, Any] = {k: v for k, v in given.items() if k == "name"}
    if change.active is not None:
        values["active"] = change.active
    if change.filters is not None:
        values["filters"] = change.filters.model_dump(mode="json")
    if change.webhook_url is not None:
        values["webhook_url"] = str(change.webhook_url)
    if change.secret is not None:
        values["secret"] = sealer.seal(change.secret)
    if change.channel is not None:
        values["channel"] = change.channel
    url = values.get("webhook_url", current.webhook_url)
    if (change.channel or current.channel) == "webhook" and not url:
        raise Conflict("this subscription has no webhook_url: send one to make it a webhook")
    generated = None
    if change.channel == "webhook" and current.channel != "webhook" and change.secret is None:
        generated = "whsec_" + secrets.token_urlsafe(24)
        values["secret"] = sealer.seal(generated)
    s = SUBSCRIPTIONS.c
    row = conn.execute(
        update(SUBSCRIPTIONS)
        .where(s.id == sub_id, s.api_key_id == key_id)
        .values(**values, updated_at=func.now())
        .returning(*_columns())
    ).mappings()
    return _out(row.one(), generated)


def remove(conn: Connection, key_id: str, sub_id: str) -> None:
    s = SUBSCRIPTIONS.c
    gone = conn.execute(delete(SUBSCRIPTIONS).where(s.id == sub_id, s.api_key_id == key_id))
    if not gone.rowcount:
        raise NotFound(f"no subscription {sub_id[:64]!r}")


def deliveries(conn: Connection, key_id: str, sub_id: str, limit: int) -> list[dict[str, Any]]:
    """The latest webhook deliveries of a subscription, each with its attempts."""
    get(conn, key_id, sub_id)
    d, a = DELIVERIES.c, ATTEMPTS.c
    rows = conn.execute(
        select(DELIVERIES)
        .where(d.subscription_id == sub_id)
        .order_by(d.created_at.desc())
        .limit(limit)
    ).mappings()
    out = [dict(r) for r in rows]
    attempts = conn.execute(
        select(a.alert_id, a.attempt, a.started_at, a.status_code, a.latency_ms, a.error)
        .where(a.alert_id.in_([r["alert_id"] for r in out]))
        .order_by(a.alert_id, a.attempt)
    ).mappings()
    by_alert: dict[str, list[dict[str, Any]]] = {}
    for at in attempts:
        by_alert.setdefault(at["alert_id"], []).append({k: at[k] for k in at if k != "alert_id"})
    for delivery in out:
        delivery.pop("lease_until", None)
        delivery["attempt_log"] = by_alert.get(delivery["alert_id"], [])
    return out


def reseal_secrets(conn: Connection, sealer: Sealer) -> int:
    """Seal every stored webhook secret under the sealer's first key: clear ones from before
    sealing, and ones under an older key. Returns how many were rewritten."""
    s = SUBSCRIPTIONS.c
    rows = conn.execute(select(s.id, s.secret).where(s.secret.is_not(None)).with_for_update())
    done = 0
    for row in rows.all():
        conn.execute(
            update(SUBSCRIPTIONS).where(s.id == row.id).values(secret=sealer.reseal(row.secret))
        )
        done += 1
    return done
