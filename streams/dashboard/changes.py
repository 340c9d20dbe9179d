"""A change of the feed as the overview shows it, the same whether the page was rendered with
it or it arrived later over the stream."""

from __future__ import annotations

import datetime as dt
from typing import Any

from streams.dashboard.display import baseline, name, tone
from streams.reporting.dyads import since_text


def feed_item(change: dict[str, Any]) -> dict[str, Any]:
    dimension = change["dimension"]
    state = change["state"]
    if change["kind"] == "state":
        what = f"{change.get('previous_state') or baseline(dimension)} → {state}"
    elif change["kind"] == "signal.opened":
        what = f"{state} considered"
    else:
        what = f"{state} {change.get('closure') or 'closed'}"
    valid_from = change["valid_from"]
    day = dt.date.fromisoformat(valid_from) if isinstance(valid_from, str) else valid_from
    evidence = " ".join(str(change.get("evidence") or "").split())
    recorded = change.get("recorded_at")
    return {
        "dyad": change["dyad"],
        "dimension": dimension,
        "what": what,
        # The colour travels with the item, so the page's script keeps no list of states.
        "tone": tone(state) if change["kind"] == "state" else "signal",
        "parties": f"{name(change['actor'])} → {name(change['target'])}",
        "since": since_text(day, change.get("precision"), change.get("basis")),
        "evidence": evidence if len(evidence) <= 160 else evidence[:157] + "…",
        "recorded_at": recorded.isoformat(timespec="seconds")
        if isinstance(recorded, dt.datetime)
        else str(recorded or ""),
    }
