"""All SQL of story clustering: the LSH index in PostgreSQL (signatures and their bands).

Workers that store copies of one story at the same moment must not both found a story: the
band keys an article touches are locked (transaction advisory locks, taken in sorted order
so that two batches never wait on each other in a circle) before its candidates are read,
so the second copy sees the first once the first's transaction commits. A replayed article
keeps the story it was given: its signature row is read back, never recomputed into
another story.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, select, text
from sqlalchemy.dialects.postgresql import insert

from models.handles import BANDS, SIGNATURES
from streams.detect.shingles import Signature, closest

# The first half of a two-part advisory lock key: these locks never meet the state stage's
# one-part keys. The second half is a bucket of band keys: a batch of 200 articles touches
# 6,400 band keys, and advisory locks take slots of the shared lock table (64 per
# connection by default), so a batch locks at most 1,024 buckets. Two batches sharing a
# bucket wait for each other, which news-rate batches of a few articles rarely do.
_LOCK_SPACE = 0x53545259  # "STRY"
_LOCK_BUCKETS = 1024
_LOCK_BANDS = text(
    "SELECT count(pg_advisory_xact_lock(:space, k)) FROM unnest(CAST(:keys AS int[])) AS k"
)


def _lock_part(key: int) -> int:
    return key % _LOCK_BUCKETS


@dataclass
class Assignment:
    """The story of each article of a batch, and what `record_stories` has to write."""

    stories: dict[str, str] = field(default_factory=dict)
    new: dict[str, Signature] = field(default_factory=dict)
    keys: dict[str, list[int]] = field(default_factory=dict)


def assign_stories(conn: Connection, signatures: Mapping[str, Signature]) -> Assignment:
    """The story of each article (by id, in the order given), in the caller's transaction.
    Then write the articles with their stories, then `record_stories`, in that transaction:
    the signatures refer to the articles' rows."""
    if not signatures:
        return Assignment()
    ids = list(signatures)
    known = _known(conn, ids)
    new = {i: s for i, s in signatures.items() if i not in known}
    keys = {i: s.band_keys() for i, s in new.items() if s.judgeable}
    wanted = sorted({k for ks in keys.values() for k in ks})
    if wanted:
        locks = sorted({_lock_part(k) for k in wanted})
        conn.execute(_LOCK_BANDS, {"space": _LOCK_SPACE, "keys": locks})
    stored = _candidates(conn, wanted)
    stories = dict(known)
    # Candidates by band key, oldest first; each article of the batch joins them as it goes.
    by_key: dict[int, list[tuple[str, str, Signature]]] = {}
    for key, article_id, story_id, sig in stored:
        by_key.setdefault(key, []).append((article_id, story_id, sig))
    for article_id, sig in new.items():
        seen: dict[str, tuple[str, Signature]] = {}
        for key in keys.get(article_id, []):
            for other_id, story_id, other in by_key.get(key, []):
                seen.setdefault(other_id, (story_id, other))
        match = closest(sig, [(other_id, other) for other_id, (_, other) in seen.items()])
        story = seen[match][0] if match else article_id
        stories[article_id] = story
        for key in keys.get(article_id, []):
            by_key.setdefault(key, []).append((article_id, story, sig))
    return Assignment({i: stories[i] for i in ids}, new, keys)


def _known(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    s = SIGNATURES.c
    rows = conn.execute(select(s.article_id, s.story_id).where(s.article_id.in_(ids)))
    return {r.article_id: r.story_id for r in rows}


def _candidates(conn: Connection, keys: Sequence[int]) -> list[tuple[int, str, str, Signature]]:
    """Stored articles sharing a band key with one of `keys`, the first recorded first."""
    if not keys:
        return []
    b, s = BANDS.c, SIGNATURES.c
    query = (
        select(b.band_key, s.article_id, s.story_id, s.signature, s.shingles)
        .join_from(BANDS, SIGNATURES, b.article_id == s.article_id)
        .where(b.band_key.in_(keys))
        .order_by(s.recorded_at, s.article_id)
    )
    return [
        (r.band_key, r.article_id, r.story_id, Signature.from_bytes(r.signature, r.shingles))
        for r in conn.execute(query)
    ]


def record_stories(conn: Connection, assignment: Assignment) -> None:
    """Write the new signatures and their bands; the locks taken by `assign_stories` are
    held until the transaction ends, so no other worker reads the index before them."""
    new, keys, stories = assignment.new, assignment.keys, assignment.stories
    if not new:
        return
    conn.execute(
        insert(SIGNATURES).on_conflict_do_nothing(),
        [
            {
                "article_id": i,
                "story_id": stories[i],
                "signature": s.to_bytes(),
                "shingles": s.shingles,
            }
            for i, s in new.items()
        ],
    )
    bands = [{"band_key": k, "article_id": i} for i, ks in keys.items() for k in ks]
    if bands:
        conn.execute(insert(BANDS).on_conflict_do_nothing(), bands)
