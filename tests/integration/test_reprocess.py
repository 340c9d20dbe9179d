"""`dyadwatch reprocess` on real PostgreSQL: stored articles detected again by the current
detector, stale findings dropped, state rebuilt with only what changed in the change log, and
an unreadable stored article counted and kept, never stopping the run."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import Engine, text

from models.events import Article, DetectedEvent, Evidence
from streams.detect.repository import save_batch
from streams.detect.version import detector_version
from streams.reprocess import reprocess
from streams.settings import Settings
from streams.state.repository import rebuild

EXPIRY_DAYS = Settings().signal_expiry_days

pytestmark = pytest.mark.integration

SEVERED = "قطعت فنزويلا علاقاتها الدبلوماسية مع الولايات المتحدة في يناير 2019."
WEATHER = "The weather in Paris stayed mild all week, and the markets were quiet."


def stale_event(article_id: str) -> DetectedEvent:
    """What an older detector wrongly found in the weather report."""
    sentence = WEATHER
    return DetectedEvent(
        id=uuid.uuid4().hex,
        article_id=article_id,
        type="relations.severed",
        actor="FR",
        target="DE",
        status="occurred",
        date="2021-05",
        confidence=0.7,
        lang="en",
        evidence=Evidence(text=sentence, start=0, end=len(sentence)),
        detector_version="old",
        published_at=dt.date(2021, 5, 3),
    )


def store_old(engine: Engine) -> None:
    articles = [
        Article(id="ar-1", text=SEVERED, published_at=dt.date(2019, 1, 24), lang="ar"),
        Article(id="en-1", text=WEATHER, published_at=dt.date(2021, 5, 3), lang="en"),
        Article(id="en-0", text=WEATHER, published_at=dt.date(2010, 1, 1), lang="en"),
    ]
    with engine.begin() as conn:
        save_batch(conn, articles, {"en-1": [stale_event("en-1")]}, "old")
        # A row no Article can be made of (the table allows it, the model does not).
        conn.execute(
            text(
                "INSERT INTO articles (id, text, detector_version, published_at)"
                " VALUES ('bad-1', '', 'old', '2020-01-01')"
            )
        )
        rebuild(conn, expiry_days=EXPIRY_DAYS)


def scalar(engine: Engine, sql: str) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def test_reprocess_replaces_findings_and_rebuilds_only_what_changed(engine: Engine) -> None:
    store_old(engine)
    assert scalar(engine, "SELECT count(*) FROM dyad_periods WHERE dyad = 'DE-FR'") == 1
    changes_before = scalar(engine, "SELECT count(*) FROM dyad_changes")
    version = detector_version()

    report = reprocess(
        engine,
        version=version,
        since=dt.date(2015, 1, 1),
        expiry_days=EXPIRY_DAYS,
        progress=False,
    )

    assert report.articles == 2 and report.skipped == {"ValidationError": 1}
    assert report.events_before == 1 and report.events_after >= 1
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT article_id, type, actor, target FROM events ORDER BY article_id")
        ).all()
    assert [tuple(r) for r in found] == [("ar-1", "relations.severed", "VE", "US")]
    assert scalar(engine, "SELECT count(*) FROM dyad_periods WHERE dyad = 'DE-FR'") == 0
    assert scalar(engine, "SELECT state FROM dyad_periods WHERE dyad = 'US-VE'") == "severed"
    assert report.state is not None
    assert (report.state.count("added"), report.state.count("removed")) == (1, 1)
    # Outside --since, and unreadable: left as they were.
    assert scalar(engine, "SELECT detector_version FROM articles WHERE id = 'en-0'") == "old"
    assert scalar(engine, "SELECT detector_version FROM articles WHERE id = 'bad-1'") == "old"
    assert scalar(engine, "SELECT detector_version FROM articles WHERE id = 'ar-1'") == version
    changes_after = scalar(engine, "SELECT count(*) FROM dyad_changes")
    assert isinstance(changes_after, int) and isinstance(changes_before, int)
    assert changes_after > changes_before

    # A second run finds nothing new to read (the unreadable row aside) and announces nothing.
    again = reprocess(engine, version=version, expiry_days=EXPIRY_DAYS, progress=False)
    assert again.articles == 1 and again.skipped == {"ValidationError": 1}
    assert again.state is not None and not again.state.diffs
    assert scalar(engine, "SELECT count(*) FROM dyad_changes") == changes_after


def test_reprocess_command(engine: Engine, database_url: str) -> None:
    store_old(engine)
    done = subprocess.run(
        [sys.executable, "-m", "streams.cli", "reprocess", "--all", "--quiet"],
        env={"DYADWATCH_DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "3 articles re-detected" in done.stdout
    assert "skipped (ValidationError): 1" in done.stdout
    assert "removed" in done.stdout
