"""Fault-injection suite: the pipeline under kill -9, a database outage, a broker restart and
poison messages, each run's final tables compared with an undisturbed run over the same input.

Starts its own PostgreSQL and broker (Apache Kafka when Java is there, and the embedded broker;
--broker to choose), publishes the corpus (and for the poison scenario 10,000 malformed
messages mixed in) straight to news.articles, runs one worker, injects the fault while the
worker processes, waits until every article is stored and every change and alert published,
and prints per scenario the rows lost, extra and duplicated per table and the crashes seen.

    python bench/faults.py [--corpus PATH] [--limit N] [--broker kafka tansu] [--kills 10]
                           [--outage 30] [--poison 10000] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.faultkit import (  # noqa: E402
    Run,
    Services,
    Snapshot,
    articles_of,
    hostile_articles,
    poison,
    snapshot,
)
from streams.settings import Settings  # noqa: E402
from tests.kafka_broker import java_available  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared/corpus/saudinewsnet-ar.jsonl.gz"
SCENARIOS = ("undisturbed", "kill", "outage", "broker", "poison")


@dataclass
class Result:
    scenario: str
    broker: str
    inputs: int
    faults: int
    diff: dict[str, dict[str, int]] = field(default_factory=dict)
    crashes: int = 0
    settle_s: float = 0.0
    letters: Counter[str] = field(default_factory=Counter)
    expected_letters: Counter[str] = field(default_factory=Counter)
    note: str = ""

    def lost(self) -> int:
        return sum(t["missing"] for t in self.diff.values())

    def extra(self) -> int:
        return sum(t["extra"] for t in self.diff.values())

    def duplicated(self) -> int:
        return sum(t["duplicated"] for t in self.diff.values())

    def differs(self, table: str) -> int:
        t = self.diff.get(table, {})
        return t.get("missing", 0) + t.get("extra", 0)


def run_scenario(
    name: str,
    services: Services,
    good: list[bytes],
    args: argparse.Namespace,
    baseline: Snapshot | None,
) -> tuple[Result, Snapshot]:
    assert services.broker is not None and services.pg is not None
    run = Run(
        services.broker.bootstrap,
        services.flavor,
        services.pg.url,
        services.tmp,
        partitions=args.partitions,
    )
    rng = random.Random(args.seed)
    messages = list(good)
    expected = Counter[str]()
    if name == "poison":
        bad = poison(args.poison, args.seed, Settings().max_article_bytes)
        expected = Counter(reason for _, reason in bad)
        # Spread through the real articles, as a faulty upstream would mix them in.
        for payload, _ in bad:
            messages.insert(rng.randrange(len(messages) + 1), payload)
    inputs = run.publish(messages)
    faults = 0
    hook: Callable[[int], None] | None = None
    if name == "kill":
        moments = sorted(rng.uniform(0.02, 0.95) * len(good) for _ in range(args.kills))

        def hook(stored: int) -> None:
            nonlocal faults
            while moments and stored >= moments[0]:
                moments.pop(0)
                run.kill_worker()
                faults += 1
                time.sleep(rng.uniform(0.0, 1.5))
                run.start_worker()

    elif name in ("outage", "broker"):
        at = 0.3 * len(good)

        def hook(stored: int) -> None:
            nonlocal faults, at
            if faults == 0 and stored >= at:
                faults = 1
                if name == "outage":
                    services.outage(args.outage)
                else:
                    services.restart_broker()

    run.start_worker()
    try:
        settle = run.wait_settled(len(good), args.timeout, hook)
        shot = snapshot(run.engine)
        result = Result(name, services.flavor, inputs, faults, settle_s=settle)
        result.crashes = run.crashes()
        if name == "poison":
            result.letters = run.dead_letters()
            result.expected_letters = expected
        if baseline is not None:
            result.diff = shot.diff(baseline)
        else:
            result.diff = shot.diff(shot)
        return result, shot
    finally:
        run.close()


def report(results: list[Result]) -> str:
    """The results as a table, the differences and the dead letters by reason."""
    lines: list[str] = [""]
    say = lines.append
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    say(f"machine: {os.cpu_count()} cores, load average {load} at the end")
    head = (
        f"{'scenario':<12} {'broker':<6} {'inputs':>7} {'faults':>6} {'lost':>5} {'extra':>5} "
        f"{'dup':>4} {'changes≠':>8} {'alerts≠':>7} {'crashes':>7} {'settle s':>8}"
    )
    say(head)
    say("-" * len(head))
    for r in results:
        if r.note:
            say(f"{r.scenario:<12} {r.broker:<6} {r.note}")
            continue
        say(
            f"{r.scenario:<12} {r.broker:<6} {r.inputs:>7} {r.faults:>6} {r.lost():>5} "
            f"{r.extra():>5} {r.duplicated():>4} {r.differs('changes'):>8} "
            f"{r.differs('alerts'):>7} {r.crashes:>7} {r.settle_s:>8.1f}"
        )
    for r in results:
        differing = {
            t: d for t, d in r.diff.items() if d["missing"] or d["extra"] or d["duplicated"]
        }
        if differing and not r.note:
            where = "; ".join(
                f"{t}: {d['missing']} missing, {d['extra']} extra, {d['duplicated']} duplicated"
                for t, d in differing.items()
            )
            say(f"{r.scenario} on {r.broker} differs from the undisturbed run in {where}")
    for r in results:
        if r.scenario == "poison" and not r.note:
            total = sum(r.letters.values())
            right = r.letters == r.expected_letters
            say(
                f"\npoison on {r.broker}: {sum(r.expected_letters.values())} bad messages sent, "
                f"{total} dead letters, by reason {'as expected' if right else 'DIFFERENT'}:"
            )
            for reason in sorted(set(r.letters) | set(r.expected_letters)):
                sent, got = r.expected_letters[reason], r.letters[reason]
                say(f"  {reason:16} sent {sent:>6}  dead-lettered {got:>6}")
    rows = {t: r.diff[t]["rows"] for r in results[:1] for t in r.diff}
    if rows:
        say(
            "\nrows per table in the undisturbed run: "
            + ", ".join(f"{t} {n}" for t, n in rows.items())
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--broker", nargs="+", choices=("kafka", "tansu"), default=None)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--outage", type=float, default=30.0, help="seconds PostgreSQL is down")
    parser.add_argument("--poison", type=int, default=10_000)
    parser.add_argument("--only", nargs="+", choices=SCENARIOS[1:], default=list(SCENARIOS[1:]))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--partitions", type=int, default=6, help="of news.articles")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per scenario")
    args = parser.parse_args()
    # Stopped from outside, the suite still stops what it started (ExitStack unwinds).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not args.corpus.exists():
        raise SystemExit(f"corpus not found: {args.corpus}")
    brokers = args.broker or (["kafka", "tansu"] if java_available() else ["tansu"])
    good = articles_of(args.corpus, args.limit) + hostile_articles(Settings().max_article_bytes)
    results: list[Result] = []
    for flavor in brokers:
        with ExitStack() as stack:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dw-faults-")))
            tmp.chmod(0o755)
            services = Services(tmp, flavor)
            services.start(stack)
            base, shot = run_scenario("undisturbed", services, good, args, None)
            results.append(base)
            for name in args.only:
                if name == "broker" and flavor == "tansu":
                    results.append(
                        Result(
                            name,
                            flavor,
                            0,
                            0,
                            note="not run: the embedded broker keeps "
                            "topics in memory only, so a restart loses them by design",
                        )
                    )
                    continue
                print(f"\n== {name} on {flavor}", file=sys.stderr)
                result, _ = run_scenario(name, services, good, args, shot)
                results.append(result)
                print(report(results), file=sys.stderr)  # so far, in case a later scenario fails
    print(report(results))


if __name__ == "__main__":
    main()
