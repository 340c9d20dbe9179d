"""All SQL of the state stage that writes. A track is recomputed under an advisory lock from
every event stored for it: the stored periods and signals are replaced by the derived ones
where they differ, and each change is recorded once under its deterministic id in the
`dyad_changes` outbox, from which the agent publishes. Many tracks are recomputed together
in a fixed number of statements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, RowMapping, Table, delete, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import Range, insert

from models.events import DetectedEvent
from models.handles import APPLIED, ARTICLES, CHANGES, EVENTS, PERIODS, SIGNALS
from models.state import (
    DyadChange,
)
from streams.state.changes import changes_of
from streams.state.rules import Derived, Fact, Period, Signal, Track, derive

REBUILD_CHUNK = 500  # tracks per round of statements


@dataclass
class TrackDiff:
    track: Track
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # ids newly put in the outbox

    @property
    def touched(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def tracks_of(events: Iterable[DetectedEvent]) -> list[Track]:
    """The tracks some events bear on, each once, in the order first seen."""
    return list(dict.fromkeys(Track.of(e.type, e.actor, e.target) for e in events))


def apply_tracks(
    conn: Connection,
    tracks: Sequence[Track],
    *,
    expiry_days: int,
    arrivals: Sequence[str] | None = None,
) -> list[TrackDiff]:
    """Recompute tracks in the caller's transaction.

    With `arrivals` (event ids in stream order), each track is derived after each of its
    arriving events in turn, from the events applied before it: every state it passes
    through is announced, so the changes are the same however the stream was cut into
    batches, and events stored by the detect stage that have not arrived yet do not count.
    Without, a track is derived from every stored event (a rebuild).

    Whatever their number, the tracks cost a fixed number of statements: one to lock them,
    three to read their events and stored rows, six to write the differences.
    """
    tracks = list(dict.fromkeys(tracks))
    if not tracks:
        return []
    # Sorted, so two transactions locking overlapping tracks take the locks in one order.
    keys = sorted({str(t) for t in tracks})
    conn.execute(_LOCK_TRACKS, {"keys": keys})
    facts, applied = _load_facts(conn, tracks)
    # Each event's first place in the stream; a redelivered copy changes nothing.
    arrival: dict[str, int] = {}
    for place, event_id in enumerate(arrivals or []):
        arrival.setdefault(event_id, place)
    stored = {table: _stored_rows(conn, table, tracks) for table in (PERIODS, SIGNALS)}
    diffs = []
    writes = {table: _Writes() for table in stored}
    rows: dict[str, dict[str, Any]] = {}
    owner: dict[str, TrackDiff] = {}
    now_applied: list[str] = []
    for track in tracks:
        track_facts = facts.get(track, [])
        if arrivals is None:
            known = track_facts
            now_applied += [f.event_id for f in known if f.event_id not in applied]
            steps = [derive(track, known, expiry_days=expiry_days)]
            announced = [changes_of(steps[0], known)]
        else:
            known, steps, announced = _in_arrival_order(
                track, track_facts, applied, arrival, expiry_days
            )
            now_applied += [f.event_id for f in known if f.event_id not in applied]
        derived = steps[-1]
        diff = TrackDiff(track)
        diffs.append(diff)
        wanted = {p.id: _period_row(p) for p in derived.periods}
        writes[PERIODS].add(stored[PERIODS].get(track, {}), wanted, diff, "period")
        wanted = {s.id: _signal_row(s) for s in derived.signals}
        writes[SIGNALS].add(stored[SIGNALS].get(track, {}), wanted, diff, "signal")
        for changes in announced:
            for change in changes:
                rows.setdefault(change.id, _change_row(change))
                owner.setdefault(change.id, diff)
    # Deletes first: the exclusion constraint is checked row by row, and a shifted period
    # would otherwise overlap its own old version.
    for table, w in writes.items():
        if w.delete:
            conn.execute(delete(table).where(table.c.id.in_(w.delete)))
    for table, w in writes.items():
        if w.insert:
            conn.execute(insert(table), w.insert)
    if rows:
        inserted = conn.execute(
            insert(CHANGES).on_conflict_do_nothing(index_elements=["id"]).returning(CHANGES.c.id),
            list(rows.values()),
        )
        for (change_id,) in inserted:
            owner[change_id].changes.append(change_id)
    if now_applied:
        conn.execute(
            insert(APPLIED).on_conflict_do_nothing(),
            [{"event_id": event_id} for event_id in dict.fromkeys(now_applied)],
        )
    return diffs


def _in_arrival_order(
    track: Track,
    track_facts: list[Fact],
    applied: set[str],
    arrival: Mapping[str, int],
    expiry_days: int,
) -> tuple[list[Fact], list[Derived], list[list[DyadChange]]]:
    """The track derived after each newly arrived event in turn (`arrival` maps an event id
    to its place in the stream): the facts it then knows, each state it passes through, and
    the changes each announces."""
    known = [f for f in track_facts if f.event_id in applied]
    arrived = sorted(
        (f for f in track_facts if f.event_id in arrival and f.event_id not in applied),
        key=lambda f: arrival[f.event_id],
    )
    steps: list[Derived] = []
    announced: list[list[DyadChange]] = []
    for fact in arrived:
        known.append(fact)
        steps.append(derive(track, known, expiry_days=expiry_days))
        announced.append(changes_of(steps[-1], known))
    if not steps:
        steps.append(derive(track, known, expiry_days=expiry_days))
        announced.append(changes_of(steps[0], known))
    return known, steps, announced


_LOCK_TRACKS = text(
    "SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) "
    "FROM unnest(CAST(:keys AS text[])) AS k"
)


def _load_facts(
    conn: Connection, tracks: Sequence[Track]
) -> tuple[dict[Track, list[Fact]], set[str]]:
    """The facts of each track, and the ids of those the state stage has applied."""
    e, a, applied = EVENTS.c, ARTICLES.c, APPLIED.c
    pairs = set()
    for t in tracks:
        x, y = t.dyad.split("-")
        pairs |= {(x, y), (y, x)}
    query = (
        select(EVENTS, a.published_at, a.source, a.story_id, applied.event_id.label("applied_id"))
        .join_from(EVENTS, ARTICLES, e.article_id == a.id)
        .outerjoin(APPLIED, applied.event_id == e.id)
        .where(tuple_(e.actor, e.target).in_(sorted(pairs)))
    )
    wanted = set(tracks)
    out: dict[Track, list[Fact]] = {}
    done: set[str] = set()
    for row in conn.execute(query).mappings():
        track = Track.of(row["type"], row["actor"], row["target"])
        if track in wanted:
            out.setdefault(track, []).append(_fact(row))
            if row["applied_id"] is not None:
                done.add(row["id"])
    return out, done


def _fact(row: RowMapping) -> Fact:
    recorded: dt.datetime = row["recorded_at"]
    if row["event_date"] is not None:
        valid, precision, basis = row["event_date"], row["date_precision"] or "day", "stated"
    elif row["published_at"] is not None:
        valid, precision, basis = row["published_at"], "day", "published"
    else:
        valid, precision, basis = recorded.astimezone(dt.UTC).date(), "day", "recorded"
    return Fact(
        event_id=row["id"],
        type=row["type"],
        status=row["status"],
        actor=row["actor"],
        target=row["target"],
        valid_from=valid,
        precision=precision,
        basis=basis,
        recorded_at=recorded,
        confidence=row["confidence"],
        article_id=row["article_id"],
        outlet=row["source"],
        evidence=row["evidence_text"],
        partial=row["partial"],
        published=row["published_at"],
        story=row["story_id"],
    )


def _stored_rows(
    conn: Connection, table: Table, tracks: Sequence[Track]
) -> dict[Track, dict[str, dict[str, Any]]]:
    """The rows stored for each track, by id."""
    wanted = set(tracks)
    query = select(table).where(table.c.dyad.in_(sorted({t.dyad for t in tracks})))
    out: dict[Track, dict[str, dict[str, Any]]] = {}
    for r in conn.execute(query).mappings():
        track = Track(r["dyad"], r["dimension"], r["direction"])
        if track in wanted:
            out.setdefault(track, {})[r["id"]] = dict(r)
    return out


@dataclass
class _Writes:
    """What one table needs so that its rows become the derived ones."""

    delete: list[str] = field(default_factory=list)
    insert: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        stored: dict[str, dict[str, Any]],
        wanted: dict[str, dict[str, Any]],
        diff: TrackDiff,
        noun: str,
    ) -> None:
        gone = [i for i in stored if i not in wanted]
        new = [i for i in wanted if i not in stored]
        differs = [i for i in wanted if i in stored and stored[i] != wanted[i]]
        diff.removed += [_describe(noun, stored[i]) for i in gone]
        diff.added += [_describe(noun, wanted[i]) for i in new]
        diff.changed += [_describe(noun, wanted[i]) for i in differs]
        self.delete += gone + differs
        self.insert += [wanted[i] for i in new + differs]


def _describe(noun: str, row: Mapping[str, Any]) -> str:
    if noun == "period":
        valid: Range[dt.date] = row["valid"]
        until = f" until {valid.upper}" if valid.upper else ""
        return f"{row['state']} from {valid.lower}{until}"
    closed = f", {row['closure']} {row['closed_on']}" if row["closure"] else ""
    return f"signal {row['type']} {row['actor']}>{row['target']} from {row['opened_on']}{closed}"


def _track_columns(track: Track) -> dict[str, str]:
    return {"dyad": track.dyad, "dimension": track.dimension, "direction": track.direction}


def _period_row(p: Period) -> dict[str, Any]:
    return {
        "id": p.id,
        **_track_columns(p.track),
        "state": p.state,
        "actor": p.actor,
        "target": p.target,
        "valid": Range(p.valid_from, p.valid_to, bounds="[)"),
        "precision": p.precision,
        "basis": p.basis,
        "event_ids": list(p.support.event_ids),
        "first_event_id": p.first_event_id,
        "latest_event_id": p.support.latest_event_id,
        "articles": p.support.articles,
        "outlets": p.support.outlets,
        "stories": p.support.stories,
        "confidence": p.support.confidence,
        "recorded_at": p.support.recorded_at,
    }


def _signal_row(s: Signal) -> dict[str, Any]:
    return {
        "id": s.id,
        **_track_columns(s.track),
        "type": s.type,
        "actor": s.actor,
        "target": s.target,
        "opened_on": s.opened_on,
        "precision": s.precision,
        "basis": s.basis,
        "expires_on": s.expires_on,
        "lapses_at": s.lapses_at,
        "event_ids": list(s.support.event_ids),
        "latest_event_id": s.support.latest_event_id,
        "articles": s.support.articles,
        "outlets": s.support.outlets,
        "stories": s.support.stories,
        "confidence": s.support.confidence,
        "recorded_at": s.support.recorded_at,
        "closed_on": s.closed_on,
        "closure": s.closure,
        "closed_by": s.closed_by,
    }


def _change_row(change: DyadChange) -> dict[str, Any]:
    return {
        "id": change.id,
        "kind": change.kind,
        "dyad": change.dyad,
        "dimension": change.dimension,
        "valid_from": change.valid_from,
        "payload": change.model_dump(mode="json"),
    }


def pending_changes(conn: Connection, limit: int = 500) -> list[tuple[str, str, dict[str, Any]]]:
    """Unpublished changes, oldest first, locked for this transaction; other workers skip them."""
    c = CHANGES.c
    query = (
        select(c.id, c.dyad, c.payload)
        .where(c.published_at.is_(None))
        .order_by(c.recorded_at, c.dyad, c.valid_from, c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [(r.id, r.dyad, r.payload) for r in conn.execute(query)]


def mark_published(conn: Connection, ids: list[str]) -> None:
    if ids:
        conn.execute(
            update(CHANGES).where(CHANGES.c.id.in_(ids)).values(published_at=text("now()"))
        )


@dataclass
class RebuildReport:
    """What a rebuild changed: empty when the stored state already matched the events."""

    tracks: int = 0
    diffs: list[TrackDiff] = field(default_factory=list)
    changes: int = 0

    def count(self, what: str) -> int:
        return sum(len(getattr(d, what)) for d in self.diffs)

    def __str__(self) -> str:
        head = (
            f"{self.tracks} tracks recomputed: {self.count('added')} added, "
            f"{self.count('removed')} removed, {self.count('changed')} changed; "
            f"{self.changes} new changes to publish"
        )
        lines = [head]
        for d in self.diffs:
            lines += [f"  {d.track}  + {x}" for x in d.added]
            lines += [f"  {d.track}  - {x}" for x in d.removed]
            lines += [f"  {d.track}  ~ {x}" for x in d.changed]
        return "\n".join(lines)


def all_tracks(conn: Connection) -> list[Track]:
    """Every track the events bear on, and every track that still holds rows without them."""
    e = EVENTS.c
    found = {Track.of(*r) for r in conn.execute(select(e.type, e.actor, e.target).distinct())}
    for table in (PERIODS, SIGNALS):
        cols = select(table.c.dyad, table.c.dimension, table.c.direction).distinct()
        found.update(Track(*r) for r in conn.execute(cols))
    return sorted(found)


def rebuild(conn: Connection, *, expiry_days: int) -> RebuildReport:
    """Recompute every track from the events table in the caller's transaction."""
    report = RebuildReport()
    tracks = all_tracks(conn)
    for start in range(0, len(tracks), REBUILD_CHUNK):
        for diff in apply_tracks(
            conn, tracks[start : start + REBUILD_CHUNK], expiry_days=expiry_days
        ):
            report.tracks += 1
            report.changes += len(diff.changes)
            if diff.touched:
                report.diffs.append(diff)
    return report
