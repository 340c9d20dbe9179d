"""Dyad state on real PostgreSQL: scripted event sequences through the repository, the views
and the as-of function, replays, interrupted runs, rebuild and the read-only role."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaProducer
from sqlalchemy import Connection, Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from models.events import Article, DetectedEvent, Evidence
from streams.detect.repository import save_batch
from streams.errors import DyadwatchError
from streams.reporting.dyads import report_history, report_status
from streams.settings import Settings
from streams.state.repository import (
    TrackDiff,
    apply_tracks,
    mark_published,
    pending_changes,
    rebuild,
    tracks_of,
)
from streams.state.rules import Track
from streams.topics import Topics
from tests.integration.conftest import Process, consume_keyed_ids, settings_env, wait_for

EXPIRY_DAYS = Settings().signal_expiry_days


def apply_events(conn: Connection, events: Iterable[DetectedEvent]) -> list[TrackDiff]:
    return apply_tracks(conn, tracks_of(events), expiry_days=EXPIRY_DAYS)


def apply_track(conn: Connection, track: Track) -> TrackDiff:
    return apply_tracks(conn, [track], expiry_days=EXPIRY_DAYS)[0]


pytestmark = pytest.mark.integration

D = dt.date


def event(
    type_: str,
    actor: str,
    target: str,
    *,
    status: str = "occurred",
    date: str | None = None,
    published: dt.date | None = None,
    article: str | None = None,
    evidence: str | None = None,
    lang: str = "en",
    partial: bool = False,
) -> DetectedEvent:
    sentence = evidence or f"{actor} {type_} {target} ({status}, {date or published})."
    return DetectedEvent(
        id=uuid.uuid4().hex,
        article_id=article or f"art-{uuid.uuid4().hex[:8]}",
        type=type_,  # type: ignore[arg-type]
        actor=actor,
        target=target,
        status=status,  # type: ignore[arg-type]
        date=date,
        confidence=0.8,
        lang=lang,
        evidence=Evidence(text=sentence, start=0, end=len(sentence)),
        detector_version="test",
        published_at=published,
        partial=partial,
    )


def ingest(engine: Engine, *events: DetectedEvent, source: str = "wire") -> list[Any]:
    """Store each article's events as the detect stage does, one article per transaction (an
    article's findings are replaced as a whole), then apply them."""
    diffs: list[Any] = []
    for article_id in dict.fromkeys(e.article_id for e in events):
        found = [e for e in events if e.article_id == article_id]
        article = Article(
            id=article_id,
            text=found[0].evidence.text,
            published_at=found[0].published_at,
            source=source,
        )
        with engine.begin() as conn:
            save_batch(conn, [article], {article.id: found}, "test")
        with engine.begin() as conn:
            diffs += apply_events(conn, found)
    return diffs


def rows(engine: Engine, sql: str, **params: object) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def as_of(engine: Engine, day: dt.date, dyad: str) -> set[tuple[str, str, str]]:
    sql = "SELECT dimension, direction, state FROM dyad_status_as_of(:d) WHERE dyad = :p"
    return set(rows(engine, sql, d=day, p=dyad))


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    return {
        t: rows(engine, f"SELECT * FROM {t} ORDER BY id")
        for t in ("dyad_periods", "dyad_signal_records")
    }


def change_ids(engine: Engine) -> list[str]:
    return [r[0] for r in rows(engine, "SELECT id FROM dyad_changes ORDER BY id")]


def test_severed_in_2019_restored_in_2023(engine: Engine) -> None:
    ingest(
        engine,
        event("relations.severed", "VE", "US", date="2019", published=D(2022, 3, 6)),
        event("relations.restored", "US", "VE", date="2023-03-10", published=D(2023, 3, 11)),
    )
    assert as_of(engine, D(2018, 6, 1), "US-VE") == set()
    assert as_of(engine, D(2019, 1, 1), "US-VE") == {("diplomatic", "", "severed")}
    assert as_of(engine, D(2020, 6, 1), "US-VE") == {("diplomatic", "", "severed")}
    assert as_of(engine, D(2023, 3, 10), "US-VE") == {("diplomatic", "", "restored")}
    history = rows(
        engine,
        "SELECT state, valid_from, valid_to, since_precision, since_basis FROM dyad_history "
        "WHERE dyad = 'US-VE' ORDER BY valid_from",
    )
    assert history == [
        ("severed", D(2019, 1, 1), D(2023, 3, 10), "year", "stated"),
        ("restored", D(2023, 3, 10), None, "day", "stated"),
    ]
    assert rows(engine, "SELECT state FROM dyad_status WHERE dyad = 'US-VE'") == [("restored",)]


def test_imposed_then_easing_considered_then_lifted(engine: Engine) -> None:
    ingest(
        engine,
        event("sanction.imposed", "US", "VE", date="2019-01-28"),
        event("sanction.lifted", "US", "VE", status="considered", published=D(2023, 6, 1)),
    )
    assert as_of(engine, D(2023, 7, 1), "US-VE") == {("sanctions", "US>VE", "active")}
    signals = rows(engine, "SELECT type, outcome FROM dyad_signals_as_of('2023-07-01')")
    assert signals == [("sanction.lifted", "open")]
    ingest(engine, event("sanction.lifted", "US", "VE", published=D(2023, 10, 18)))
    assert as_of(engine, D(2019, 1, 27), "US-VE") == set()
    assert as_of(engine, D(2020, 1, 1), "US-VE") == {("sanctions", "US>VE", "active")}
    assert as_of(engine, D(2024, 1, 1), "US-VE") == {("sanctions", "US>VE", "lifted")}
    assert rows(engine, "SELECT count(*) FROM dyad_signals_as_of('2023-07-01')") == [(1,)]
    assert rows(engine, "SELECT outcome FROM dyad_signal_history") == [("confirmed",)]
    assert rows(engine, "SELECT count(*) FROM dyad_signals_as_of('2024-01-01')") == [(0,)]
    kinds = rows(engine, "SELECT kind, payload->>'state' FROM dyad_changes ORDER BY valid_from")
    assert kinds == [
        ("state", "active"),
        ("signal.opened", "sanction.lifted"),
        ("state", "lifted"),
        ("signal.closed", "sanction.lifted"),
    ]


def test_easing_moves_sanctions_to_eased(engine: Engine) -> None:
    ingest(
        engine,
        event("sanction.imposed", "US", "VE", date="2019-01-28"),
        event("sanction.lifted", "US", "VE", date="2023-10-18", partial=True),
    )
    assert as_of(engine, D(2024, 1, 1), "US-VE") == {("sanctions", "US>VE", "eased")}


def test_a_late_old_event_lands_in_its_place(engine: Engine) -> None:
    ingest(engine, event("relations.restored", "US", "VE", date="2023-03-10"))
    first = change_ids(engine)
    ingest(engine, event("relations.severed", "VE", "US", date="2019"))
    assert rows(engine, "SELECT state FROM dyad_status") == [("restored",)]
    assert as_of(engine, D(2021, 1, 1), "US-VE") == {("diplomatic", "", "severed")}
    assert set(first) < set(change_ids(engine)) and len(change_ids(engine)) == 2


def test_the_same_events_twice_change_nothing(engine: Engine) -> None:
    events = [
        event("relations.severed", "VE", "US", date="2019"),
        event("sanction.imposed", "US", "RU", published=D(2022, 3, 6)),
        event("oil.reduced", "US", "RU", status="considered", published=D(2022, 3, 6)),
    ]
    ingest(engine, *events)
    before, changes = snapshot(engine), change_ids(engine)
    with engine.begin() as conn:
        diffs = apply_events(conn, events)
    assert not any(d.touched or d.changes for d in diffs)
    assert snapshot(engine) == before and change_ids(engine) == changes


def test_tracks_applied_together_end_as_if_applied_one_by_one(engine: Engine) -> None:
    events = [
        event("relations.severed", "VE", "US", date="2019"),
        event("relations.restored", "US", "VE", date="2023-03-10"),
        event("sanction.imposed", "US", "VE", date="2019-01-28"),
        event("sanction.imposed", "VE", "US", date="2019-02-01"),
        event("sanction.lifted", "US", "VE", date="2023-10-18"),
        event("oil.halted", "US", "RU", date="2022-03-08"),
        event("relations.downgraded", "RU", "US", published=D(2022, 3, 9)),
    ]
    for e in events:
        article = Article(id=e.article_id, text=e.evidence.text, source="wire")
        with engine.begin() as conn:
            save_batch(conn, [article], {article.id: [e]}, "test")
    with engine.begin() as conn:
        together = apply_events(conn, events)
    assert len(together) == 5 and all(d.touched and d.changes for d in together)
    after, changes = snapshot(engine), change_ids(engine)
    with engine.begin() as conn:
        one_by_one = [apply_track(conn, d.track) for d in together]
    assert not any(d.touched or d.changes for d in one_by_one)
    assert snapshot(engine) == after and change_ids(engine) == changes
    assert as_of(engine, D(2020, 1, 1), "US-VE") == {
        ("diplomatic", "", "severed"),
        ("sanctions", "US>VE", "active"),
        ("sanctions", "VE>US", "active"),
    }


def test_an_interrupted_apply_leaves_no_trace(engine: Engine) -> None:
    restored = event("relations.restored", "US", "VE", date="2023-03-10")
    severed = event("relations.severed", "VE", "US", date="2019")
    ingest(engine, restored)
    article = Article(id=severed.article_id, text="x", source="wire")
    with engine.begin() as conn:
        save_batch(conn, [article], {article.id: [severed]}, "test")
    with pytest.raises(RuntimeError), engine.begin() as conn:
        apply_events(conn, [severed])
        raise RuntimeError("killed between the write and the commit")
    assert len(change_ids(engine)) == 1
    with engine.begin() as conn:
        apply_events(conn, [severed])
    assert len(change_ids(engine)) == 2
    assert as_of(engine, D(2020, 1, 1), "US-VE") == {("diplomatic", "", "severed")}


def test_rebuild_reproduces_the_tables(engine: Engine) -> None:
    ingest(
        engine,
        event("relations.severed", "VE", "US", date="2019"),
        event("relations.restored", "US", "VE", date="2023-03-10"),
        event("sanction.imposed", "US", "VE", date="2019-01-28"),
        event("oil.resumed", "VE", "US", status="considered", published=D(2022, 3, 6)),
    )
    before = snapshot(engine)
    with engine.begin() as conn:
        assert not rebuild(conn, expiry_days=EXPIRY_DAYS).diffs
        conn.execute(text("DELETE FROM dyad_periods WHERE dimension = 'diplomatic'"))
        conn.execute(text("DELETE FROM dyad_signal_records"))
        conn.execute(text("UPDATE dyad_periods SET confidence = 0.1"))
    with engine.begin() as conn:
        report = rebuild(conn, expiry_days=EXPIRY_DAYS)
    assert (report.count("added"), report.count("removed"), report.count("changed")) == (3, 0, 1)
    assert report.changes == 0 and "diplomatic:US-VE  + severed from 2019-01-01" in str(report)
    assert snapshot(engine) == before


def test_rebuild_drops_state_whose_events_are_gone(engine: Engine) -> None:
    [diff] = ingest(engine, event("oil.halted", "US", "RU", date="2022-03-08"))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM events"))
        report = rebuild(conn, expiry_days=EXPIRY_DAYS)
    assert report.count("removed") == 1 and rows(engine, "SELECT count(*) FROM dyad_periods") == [
        (0,)
    ]
    assert diff.changes  # the change itself stays in the log: it was announced


def test_periods_of_a_track_cannot_overlap(engine: Engine) -> None:
    ingest(engine, event("relations.severed", "VE", "US", date="2019"))
    with pytest.raises(DBAPIError, match="ex_dyad_periods_no_overlap"), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO dyad_periods SELECT md5('x'), dyad, dimension, direction, 'restored',"
                " actor, target, daterange('2020-01-01', NULL), precision, basis, event_ids,"
                " first_event_id, latest_event_id, articles, outlets, confidence, recorded_at,"
                " stories"
                " FROM dyad_periods"
            )
        )


def test_outbox_hands_out_each_change_once(engine: Engine) -> None:
    ingest(
        engine,
        event("sanction.imposed", "US", "RU", published=D(2022, 3, 6)),
        event("oil.reduced", "US", "RU", status="considered", published=D(2022, 3, 6)),
    )
    with engine.begin() as conn:
        pending = pending_changes(conn)
        mark_published(conn, [p[0] for p in pending])
    assert {(p[1], p[2]["kind"]) for p in pending} == {
        ("RU-US", "state"),
        ("RU-US", "signal.opened"),
    }
    with engine.begin() as conn:
        assert pending_changes(conn) == []


def test_reader_role_reads_the_views_and_nothing_else(engine: Engine, database_url: str) -> None:
    ingest(engine, event("relations.severed", "VE", "US", date="2019"))
    login = f"reader_{uuid.uuid4().hex[:8]}"
    with engine.begin() as conn:
        conn.execute(text(f"CREATE ROLE {login} LOGIN PASSWORD 'pw' IN ROLE dyadwatch_reader"))
    reader = create_engine(make_url(database_url).set(username=login, password="pw"))
    try:
        with reader.connect() as conn:
            assert conn.execute(text("SELECT state FROM dyad_status")).all() == [("severed",)]
            assert conn.execute(text("SELECT count(*) FROM dyad_history")).scalar() == 1
            assert conn.execute(text("SELECT count(*) FROM dyad_signals")).scalar() == 0
            got = conn.execute(text("SELECT state FROM dyad_status_as_of('2020-01-01')")).all()
            assert got == [("severed",)]
        for table in ("events", "articles", "dyad_periods", "dyad_changes"):
            with reader.connect() as conn, pytest.raises(DBAPIError, match="permission denied"):
                conn.execute(text(f"SELECT 1 FROM {table}"))
    finally:
        reader.dispose()
        with engine.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {login}"))
            conn.execute(text(f"DROP ROLE {login}"))


def _seed_like(engine: Engine) -> None:
    """What the detector finds in the seed article (published 2022-03-06)."""
    day = D(2022, 3, 6)
    ingest(
        engine,
        event("relations.severed", "VE", "US", date="2019", published=day, article="seed"),
        event("sanction.imposed", "US", "VE", published=day, article="seed"),
        event("sanction.imposed", "US", "RU", published=day, article="seed"),
        event("oil.reduced", "US", "RU", status="considered", published=day, article="seed"),
        event("oil.resumed", "VE", "US", status="considered", published=day, article="seed"),
    )


def test_report_status_json(engine: Engine) -> None:
    _seed_like(engine)
    out = io.StringIO()
    assert report_status(engine, pair="VE-US", country=None, as_of=None, fmt="json", out=out) == 0
    doc = json.loads(out.getvalue())
    got = {(r["dimension"], r["actor"], r["target"], r["state"]) for r in doc["status"]}
    assert got == {("diplomatic", "VE", "US", "severed"), ("sanctions", "US", "VE", "active")}
    severed = next(r for r in doc["status"] if r["dimension"] == "diplomatic")
    assert (severed["since"], severed["since_precision"], severed["since_text"]) == (
        "2019-01-01",
        "year",
        "2019",
    )
    assert severed["articles"] == 1 and severed["evidence"]
    assert [(r["state"], r["outcome"]) for r in doc["signals"]] == [("oil.resumed", "open")]
    out = io.StringIO()
    report_status(engine, pair="US-RU", country=None, as_of=None, fmt="json", out=out)
    doc = json.loads(out.getvalue())
    assert [(r["dimension"], r["actor"], r["state"]) for r in doc["status"]] == [
        ("sanctions", "US", "active")
    ]
    assert [(r["state"], r["actor"], r["target"]) for r in doc["signals"]] == [
        ("oil.reduced", "US", "RU")
    ]
    # Long after the article, in valid time, the threat had lapsed.
    out = io.StringIO()
    report_status(engine, pair="US-RU", country=None, as_of=D(2024, 1, 1), fmt="json", out=out)
    assert json.loads(out.getvalue())["signals"] == []


def test_report_table_csv_and_history(engine: Engine) -> None:
    _seed_like(engine)
    out = io.StringIO()
    report_status(engine, pair=None, country="ve", as_of=D(2020, 6, 1), fmt="table", out=out)
    table = out.getvalue()
    assert "severed" in table and "2019" in table and "active" not in table
    out = io.StringIO()
    report_status(engine, pair=None, country="RU", as_of=None, fmt="csv", out=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("kind,pair,dimension") and len(lines) == 3
    out = io.StringIO()
    assert report_history(engine, pair="us-ve", fmt="table", out=out) == 0
    assert "severed" in out.getvalue() and "now" in out.getvalue()
    with pytest.raises(DyadwatchError):
        report_history(engine, pair="USA", fmt="json", out=io.StringIO())


# --- the Faust agent, end to end ----------------------------------------------------------


class StateWorker(Process):
    """A worker running only the state agent, so this stage is tested on its own."""

    def __init__(self, settings: Settings, changes: str, log: Path) -> None:
        argv = ["-m", "tests.integration.state_worker", changes]
        super().__init__(argv, settings_env(settings), log)


def test_agent_survives_a_kill_and_a_replay(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    from kafka.admin import KafkaAdminClient, NewTopic

    topics = Topics.from_settings(settings)
    changes = f"{settings.topic_prefix}dyad.changes"
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    admin.create_topics([NewTopic(topics.events, 4, 1), NewTopic(changes, 2, 1)])
    admin.close()
    script = [
        event("relations.restored", "US", "VE", date="2023-03-10"),
        event("sanction.imposed", "US", "RU", published=D(2022, 3, 6)),
        event("oil.reduced", "US", "RU", status="considered", published=D(2022, 3, 6)),
        event("relations.severed", "VE", "US", date="2019"),
        event("sanction.imposed", "US", "VE", date="2019-01-28"),
        event("sanction.lifted", "US", "VE", date="2023-10-18"),
    ]
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")

    def send(evs: list[DetectedEvent]) -> None:
        for ev in evs:  # as the detect stage does: the events table first, then the topic
            article = Article(id=ev.article_id, text=ev.evidence.text, published_at=ev.published_at)
            with engine.begin() as conn:
                save_batch(conn, [article], {article.id: [ev]}, "test")
            producer.send(
                topics.events, key=ev.pair_key.encode(), value=ev.model_dump_json().encode()
            )
        producer.flush()

    def published() -> int:
        return int(
            rows(engine, "SELECT count(*) FROM dyad_changes WHERE published_at IS NOT NULL")[0][0]
        )

    first = StateWorker(settings, changes, tmp_path / "w1.log")
    try:
        send(script[:3])
        wait_for(lambda: published() == 3, 120, "the first changes")
    finally:
        first.stop(kill=True)
    send(script[3:])
    second = StateWorker(settings, changes, tmp_path / "w2.log")
    try:
        wait_for(lambda: published() == 6, 120, "every change")
    finally:
        second.stop()
    with engine.begin() as conn:
        assert not rebuild(conn, expiry_days=EXPIRY_DAYS).diffs, (
            "the agent's tables differ from a rebuild"
        )
    assert as_of(engine, D(2020, 1, 1), "US-VE") == {
        ("diplomatic", "", "severed"),
        ("sanctions", "US>VE", "active"),
    }
    seen = consume_keyed_ids(settings, changes, 10)
    assert sorted(i for _, i in seen) == change_ids(engine), "each change exactly once"
    assert {k for k, _ in seen} == {"US-VE", "RU-US"}
    # A new consumer group replays events.detected from the start: nothing new to announce.
    replay = Settings(**{**settings.model_dump(), "app_id": f"{settings.app_id}-replay"})
    third = StateWorker(replay, changes, tmp_path / "w3.log")
    try:
        wait_for(lambda: "state batch" in third.log.read_text(), 120, "the replay")
        time.sleep(3)
    finally:
        third.stop()
    assert len(consume_keyed_ids(settings, changes, 5)) == len(seen)
    producer.close()
