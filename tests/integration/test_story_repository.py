"""The LSH index in PostgreSQL: stories across transactions (as across restarts and workers),
inside one batch, on replay, and two workers storing copies at the same moment."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, text

from models.events import Article
from streams.detect.repository import save_batch
from streams.detect.shingles import signature
from streams.detect.story_repository import assign_stories, record_stories
from tests.integration.test_stories import OWN_REPORT, REPRINT, WIRE

pytestmark = pytest.mark.integration


def store(engine: Engine, *articles: tuple[str, str]) -> dict[str, str]:
    batch = [Article(id=i, text=body, source=i.split("-")[0]) for i, body in articles]
    with engine.begin() as conn:
        assignment = assign_stories(conn, {a.id: signature(a.text) for a in batch})
        save_batch(conn, batch, {a.id: [] for a in batch}, "test", assignment.stories)
        record_stories(conn, assignment)
    return assignment.stories


def test_a_copy_stored_later_joins_and_a_replay_keeps_its_story(engine: Engine) -> None:
    assert store(engine, ("wire-1", WIRE)) == {"wire-1": "wire-1"}
    # Another transaction, as after a restart or on another worker: the index is the table.
    assert store(engine, ("paper-1", REPRINT), ("daily-1", OWN_REPORT)) == {
        "paper-1": "wire-1",
        "daily-1": "daily-1",
    }
    assert store(engine, ("paper-1", REPRINT)) == {"paper-1": "wire-1"}
    with engine.connect() as conn:
        rows: dict[str, str] = dict(conn.execute(text("SELECT id, story_id FROM articles")).all())
        bands = conn.execute(text("SELECT count(*) FROM story_bands")).scalar_one()
    assert rows == {"wire-1": "wire-1", "paper-1": "wire-1", "daily-1": "daily-1"}
    assert bands == 3 * 32


def test_copies_in_one_batch_join_the_first_of_them(engine: Engine) -> None:
    stories = store(engine, ("wire-2", WIRE), ("paper-2", REPRINT), ("copy-2", WIRE))
    assert stories == {"wire-2": "wire-2", "paper-2": "wire-2", "copy-2": "wire-2"}


def test_two_workers_storing_copies_at_once_found_one_story(engine: Engine) -> None:
    start = threading.Barrier(2)
    found: dict[str, str] = {}

    def worker(article_id: str, body: str) -> None:
        start.wait()
        found.update(store(engine, (article_id, body)))

    threads = [
        threading.Thread(target=worker, args=("wire-3", WIRE)),
        threading.Thread(target=worker, args=("paper-3", REPRINT)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    # Whichever committed first founded the story; the other joined it.
    assert len(set(found.values())) == 1 and set(found.values()) <= {"wire-3", "paper-3"}
