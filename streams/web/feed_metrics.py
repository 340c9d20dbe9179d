"""The feeds' part of `/metrics`: how many feeds are healthy, failing or paused, and per feed
its items, failures in a row and the time of its last success, read from PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Connection, text

_FEEDS = """
SELECT id, url, paused, failures, items_seen,
       extract(epoch FROM last_success_at) AS last_success,
       extract(epoch FROM next_due_at) AS next_due
FROM feeds ORDER BY id
"""


def _label(value: str) -> str:
    """A Prometheus label value: backslash, quote and newline escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def feed_lines(conn: Connection) -> list[str]:
    rows = conn.execute(text(_FEEDS)).mappings().all()
    states = {"ok": 0, "failing": 0, "paused": 0}
    for row in rows:
        states["paused" if row["paused"] else ("failing" if row["failures"] else "ok")] += 1
    lines = ["# HELP dyadwatch_feeds feeds followed, by state", "# TYPE dyadwatch_feeds gauge"]
    lines += [f'dyadwatch_feeds{{state="{state}"}} {n}' for state, n in states.items()]
    per_feed = (
        ("dyadwatch_feed_items_seen_total", "counter", "items a feed has published", "items_seen"),
        ("dyadwatch_feed_failures", "gauge", "a feed's failed polls in a row", "failures"),
        (
            "dyadwatch_feed_last_success_timestamp_seconds",
            "gauge",
            "when a feed last answered (0: never)",
            "last_success",
        ),
        ("dyadwatch_feed_next_due_timestamp_seconds", "gauge", "when a feed is due", "next_due"),
    )
    for name, kind, help_, column in per_feed:
        lines += [f"# HELP {name} {help_}", f"# TYPE {name} {kind}"]
        for row in rows:
            labels = f'feed="{row["id"]}",url="{_label(row["url"])}"'
            value = 0 if row[column] is None else row[column]
            shown = f"{float(value):.3f}" if column in ("last_success", "next_due") else value
            lines.append(f"{name}{{{labels}}} {shown}")
    return lines
