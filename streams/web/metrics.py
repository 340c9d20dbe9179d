"""Prometheus metrics, read from PostgreSQL at scrape time.

Workers, delivery loops and API processes come and go; the tables outlive them all, so
counting there gives every scrape the same answer whichever process serves it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from streams.deadletter_rows import letter_counts
from streams.web.feed_metrics import feed_lines

BUCKETS = (0.1, 0.25, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0)

_COUNTS = """
SELECT
  (SELECT count(*) FROM articles) AS articles,
  (SELECT count(*) FROM events) AS events,
  (SELECT count(*) FROM dyad_changes) AS changes,
  (SELECT count(*) FROM alerts) AS alerts,
  (SELECT count(*) FROM delivery_attempts) AS attempts,
  (SELECT count(*) FROM delivery_attempts WHERE error IS NOT NULL) AS failures,
  (SELECT count(*) FROM deliveries WHERE status = 'delivered') AS delivered,
  (SELECT count(*) FROM deliveries WHERE status = 'pending') AS pending,
  (SELECT count(*) FROM deliveries WHERE status = 'dead') AS dead,
  (SELECT extract(epoch FROM now() - min(recorded_at)) FROM dyad_changes
    WHERE published_at IS NULL) AS lag_changes,
  (SELECT extract(epoch FROM now() - min(created_at)) FROM alerts
    WHERE published_at IS NULL) AS lag_alerts,
  (SELECT extract(epoch FROM now() - min(next_attempt_at)) FROM deliveries
    WHERE status = 'pending' AND next_attempt_at <= now()) AS lag_deliveries
"""

_HISTOGRAM = """
SELECT {buckets}, count(*) AS n, coalesce(sum(v), 0) AS total FROM ({values}) AS x(v)
"""
_INGEST_TO_WEBHOOK = """
SELECT extract(epoch FROM d.delivered_at - a.source_recorded_at) FROM deliveries d
JOIN alerts a ON a.id = d.alert_id
WHERE d.status = 'delivered' AND a.source_recorded_at IS NOT NULL
"""
_INGEST_TO_ALERT = """
SELECT extract(epoch FROM created_at - source_recorded_at) FROM alerts
WHERE source_recorded_at IS NOT NULL
"""
_ATTEMPT = "SELECT latency_ms / 1000.0 FROM delivery_attempts"


def _histogram(conn: Connection, name: str, help_: str, values_sql: str) -> list[str]:
    cols = ", ".join(f"count(*) FILTER (WHERE v <= {b}) AS b{i}" for i, b in enumerate(BUCKETS))
    row = conn.execute(text(_HISTOGRAM.format(buckets=cols, values=values_sql))).mappings().one()
    lines = [f"# HELP {name} {help_}", f"# TYPE {name} histogram"]
    for i, b in enumerate(BUCKETS):
        lines.append(f'{name}_bucket{{le="{b}"}} {row[f"b{i}"]}')
    lines += [
        f'{name}_bucket{{le="+Inf"}} {row["n"]}',
        f"{name}_sum {float(row['total']):.6f}",
        f"{name}_count {row['n']}",
    ]
    return lines


def _one(name: str, kind: str, help_: str, value: Any, labels: str = "") -> list[str]:
    return [f"# HELP {name} {help_}", f"# TYPE {name} {kind}", f"{name}{labels} {value}"]


def counts(conn: Connection) -> dict[str, Any]:
    """Stored totals, delivery states and the age of the oldest work waiting per stage."""
    return dict(conn.execute(text(_COUNTS)).mappings().one())


def render(conn: Connection) -> str:
    c = counts(conn)
    lines: list[str] = []
    for what in ("articles", "events", "changes", "alerts"):
        lines += _one(f"dyadwatch_{what}_total", "counter", f"{what} stored", c[what])
    lines += _one(
        "dyadwatch_webhook_attempts_total", "counter", "webhook POSTs made", c["attempts"]
    )
    lines += _one(
        "dyadwatch_webhook_failures_total",
        "counter",
        "webhook POSTs that failed (non-2xx, timeout, network, refused URL)",
        c["failures"],
    )
    lines += ["# HELP dyadwatch_webhook_deliveries webhook deliveries by status"]
    lines += ["# TYPE dyadwatch_webhook_deliveries gauge"]
    for status in ("delivered", "pending", "dead"):
        lines.append(f'dyadwatch_webhook_deliveries{{status="{status}"}} {c[status]}')
    lines += ["# HELP dyadwatch_pipeline_lag_seconds age of the oldest work waiting per stage"]
    lines += ["# TYPE dyadwatch_pipeline_lag_seconds gauge"]
    for stage in ("changes", "alerts", "deliveries"):
        lag = float(c[f"lag_{stage}"] or 0.0)
        lines.append(f'dyadwatch_pipeline_lag_seconds{{stage="{stage}"}} {lag:.3f}')
    lines += [
        "# HELP dyadwatch_dead_letters_total records a stage could not use, by stage and reason",
        "# TYPE dyadwatch_dead_letters_total counter",
    ]
    for stage, reason, count in letter_counts(conn):
        lines.append(f'dyadwatch_dead_letters_total{{stage="{stage}",reason="{reason}"}} {count}')
    lines += feed_lines(conn)
    lines += _histogram(
        conn,
        "dyadwatch_ingest_to_webhook_seconds",
        "from the evidence reaching us to the receiver's 2xx",
        _INGEST_TO_WEBHOOK,
    )
    lines += _histogram(
        conn,
        "dyadwatch_ingest_to_alert_seconds",
        "from the evidence reaching us to the alert being stored",
        _INGEST_TO_ALERT,
    )
    lines += _histogram(
        conn, "dyadwatch_webhook_attempt_seconds", "duration of one webhook POST", _ATTEMPT
    )
    return "\n".join(lines) + "\n"
