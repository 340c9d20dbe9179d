"""Short versions of the fault-injection scenarios (`bench/faults.py` runs the long ones):
real corpus articles through one worker on a private broker and PostgreSQL, disturbed by
kill -9, a database outage, a broker restart or poison messages, must end in exactly the
tables of an undisturbed run. One article partition keeps the stream's order fixed, so even
the announced changes must match."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from bench.faultkit import Run, Services, Snapshot, articles_of, hostile_articles, poison, snapshot
from streams.settings import Settings
from tests.kafka_broker import java_available

pytestmark = pytest.mark.integration

CORPUS = Path(__file__).resolve().parents[3] / "shared/corpus/saudinewsnet-ar.jsonl.gz"
ARTICLES = 800
TIMEOUT = 240.0


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    if not CORPUS.exists():
        pytest.skip(f"corpus not found at {CORPUS}")
    tmp = tmp_path_factory.mktemp("faults")
    tmp.chmod(0o755)
    with ExitStack() as stack:
        found = Services(tmp, "kafka" if java_available() else "tansu")
        found.start(stack)
        yield found


@pytest.fixture(scope="module")
def good() -> list[bytes]:
    return articles_of(CORPUS, ARTICLES) + hostile_articles(Settings().max_article_bytes)


def _run(services: Services) -> Run:
    assert services.broker is not None and services.pg is not None
    return Run(services.broker.bootstrap, services.flavor, services.pg.url, services.tmp, 1)


def _settle(
    services: Services, messages: list[bytes], articles: int, hook: Callable[[Run, int], None]
) -> tuple[Run, Snapshot]:
    run = _run(services)
    try:
        run.publish(messages)
        run.start_worker()
        run.wait_settled(articles, TIMEOUT, lambda stored: hook(run, stored))
        return run, snapshot(run.engine)
    finally:
        run.close()


@pytest.fixture(scope="module")
def undisturbed(services: Services, good: list[bytes]) -> Snapshot:
    _, shot = _settle(services, good, len(good), lambda run, stored: None)
    assert len(shot.rows["events"]) > 10 and len(shot.rows["changes"]) > 3
    return shot


def _same(shot: Snapshot, undisturbed: Snapshot) -> None:
    differing = {
        table: d
        for table, d in shot.diff(undisturbed).items()
        if d["missing"] or d["extra"] or d["duplicated"]
    }
    assert differing == {}


def test_kill_9_twice_while_processing(
    services: Services, good: list[bytes], undisturbed: Snapshot
) -> None:
    moments = [0.2 * len(good), 0.6 * len(good)]

    def kill(run: Run, stored: int) -> None:
        while moments and stored >= moments[0]:
            moments.pop(0)
            run.kill_worker()
            run.start_worker()

    run, shot = _settle(services, good, len(good), kill)
    assert not moments and run.started == 3
    assert run.crashes() == 0
    _same(shot, undisturbed)


def test_a_database_outage_is_waited_out(
    services: Services, good: list[bytes], undisturbed: Snapshot
) -> None:
    done: list[int] = []

    def outage(run: Run, stored: int) -> None:
        if not done and stored >= 0.3 * len(good):
            done.append(stored)
            services.outage(5.0)

    run, shot = _settle(services, good, len(good), outage)
    assert done and run.started == 1  # the one worker lived through it
    assert run.crashes() == 0
    _same(shot, undisturbed)


def test_a_broker_restart_is_survived(
    services: Services, good: list[bytes], undisturbed: Snapshot
) -> None:
    if services.flavor == "tansu":
        pytest.skip("the embedded broker keeps topics in memory: a restart loses them")
    done: list[int] = []

    def restart(run: Run, stored: int) -> None:
        if not done and stored >= 0.3 * len(good):
            done.append(stored)
            services.restart_broker()

    run, shot = _settle(services, good, len(good), restart)
    assert done and run.started == 1
    assert run.crashes() == 0
    _same(shot, undisturbed)


def test_poison_messages_are_dead_lettered_and_change_nothing(
    services: Services, good: list[bytes], undisturbed: Snapshot
) -> None:
    bad = poison(400, seed=3, max_bytes=Settings().max_article_bytes)
    messages = list(good)
    rng = random.Random(3)
    for payload, _ in bad:
        messages.insert(rng.randrange(len(messages) + 1), payload)
    run = _run(services)
    try:
        run.publish(messages)
        run.start_worker()
        run.wait_settled(len(good), TIMEOUT)
        shot = snapshot(run.engine)
        letters = run.dead_letters()
        counted = run.count("SELECT count(*) FROM dead_letters")
        assert run.crashes() == 0
    finally:
        run.close()
    assert letters == Counter(reason for _, reason in bad)
    assert counted == len(bad)
    _same(shot, undisturbed)
