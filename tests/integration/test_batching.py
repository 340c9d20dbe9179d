"""What the state stage announces depends on the stream, not on how it is cut: the same
events, applied as they arrive, stored all ahead and applied in batches of 1, 7 or 500,
or replayed, announce the same changes and leave the same state."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import Engine, text

from models.events import Article, DetectedEvent, Evidence
from streams.detect.repository import save_batch
from streams.settings import Settings
from streams.state.repository import apply_tracks, tracks_of

pytestmark = pytest.mark.integration

EXPIRY_DAYS = Settings().signal_expiry_days

PAIRS = [("US", "IR"), ("IR", "US"), ("VE", "US"), ("US", "VE"), ("SA", "QA"), ("RU", "UA")]
TYPES = [
    "sanction.imposed",
    "sanction.lifted",
    "relations.severed",
    "relations.restored",
    "relations.downgraded",
    "oil.halted",
    "oil.resumed",
]


def _stream(seed: int, n: int) -> list[DetectedEvent]:
    """A fixed, shuffled history: out-of-order dates, restatements, reversals."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        actor, target = rng.choice(PAIRS)
        type_ = rng.choice(TYPES)
        year = rng.randint(2012, 2024)
        date = rng.choice([None, str(year), f"{year}-{rng.randint(1, 12):02d}"])
        published = dt.date(rng.randint(2013, 2025), rng.randint(1, 12), rng.randint(1, 28))
        status = rng.choice(["occurred", "occurred", "occurred", "considered", "denied"])
        sentence = f"Sentence {i}: {actor} {type_} {target} ({status})."
        out.append(
            DetectedEvent(
                id=f"ev{i:03d}",
                article_id=f"art{i:03d}",
                type=type_,  # type: ignore[arg-type]
                actor=actor,
                target=target,
                status=status,  # type: ignore[arg-type]
                date=date,
                confidence=0.8,
                lang="en",
                evidence=Evidence(text=sentence, start=0, end=len(sentence)),
                detector_version="test",
                published_at=published,
            )
        )
    return out


def _store(engine: Engine, events: Sequence[DetectedEvent]) -> None:
    with engine.begin() as conn:
        save_batch(
            conn,
            [
                Article(id=e.article_id, text=e.evidence.text, published_at=e.published_at)
                for e in events
            ],
            {e.article_id: [e] for e in events},
            "test",
        )


def _apply(engine: Engine, batch: Sequence[DetectedEvent]) -> None:
    with engine.begin() as conn:
        apply_tracks(
            conn, tracks_of(batch), expiry_days=EXPIRY_DAYS, arrivals=[e.id for e in batch]
        )


def _outcome(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        changes = conn.execute(text("SELECT id, payload FROM dyad_changes ORDER BY id")).all()
        periods = conn.execute(text("SELECT id, state, valid FROM dyad_periods ORDER BY id")).all()
        signals = conn.execute(
            text("SELECT id, type, closure FROM dyad_signal_records ORDER BY id")
        ).all()
    return {
        "changes": [(r.id, r.payload) for r in changes],
        "periods": [tuple(r) for r in periods],
        "signals": [tuple(r) for r in signals],
    }


def _reset(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text("TRUNCATE dyad_changes, dyad_periods, dyad_signal_records, state_applied_events")
        )


def test_the_same_stream_announces_the_same_changes_however_it_is_batched(
    engine: Engine,
) -> None:
    stream = _stream(seed=11, n=120)
    # As in an undisturbed run at news rates: each event stored, then applied.
    for ev in stream:
        _store(engine, [ev])
        _apply(engine, [ev])
    live = _outcome(engine)
    assert len(live["changes"]) > 40  # the stream passes through many states
    for size in (1, 7, 500):
        _reset(engine)
        # The detect stage ran ahead: every event is stored before the state stage reads one.
        for start in range(0, len(stream), size):
            _apply(engine, stream[start : start + size])
        assert _outcome(engine) == live, f"batches of {size}"
    # A redelivery of the whole stream, after a crash, announces nothing new.
    _apply(engine, stream)
    assert _outcome(engine) == live


def test_events_stored_ahead_do_not_count_before_they_arrive(engine: Engine) -> None:
    stream = _stream(seed=5, n=30)
    _store(engine, stream)
    _apply(engine, stream[:1])
    with engine.connect() as conn:
        applied = conn.execute(text("SELECT event_id FROM state_applied_events")).scalars().all()
        periods = conn.execute(text("SELECT event_ids FROM dyad_periods")).scalars().all()
    assert applied == [stream[0].id]
    assert {i for ids in periods for i in ids} <= {stream[0].id}
