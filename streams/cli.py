"""The one command line: `dyadwatch <command>`. Each command is a thin call into its module."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from streams.deadletter import STAGES
from streams.devstack.state import with_running_stack
from streams.errors import DyadwatchError
from streams.logs import configure
from streams.settings import Settings, get_settings

if TYPE_CHECKING:
    from streams.ingest.publish import Publisher

Handler = Callable[[argparse.Namespace, Settings], int]


def _up(args: argparse.Namespace, settings: Settings) -> int:
    from streams.devstack.embedded import up

    return up(settings, detach=args.detach, workers=args.workers)


def _down(args: argparse.Namespace, settings: Settings) -> int:
    from streams.devstack.embedded import down

    return down(settings)


def _db_url(args: argparse.Namespace, settings: Settings) -> int:
    from streams.libpq import libpq_url

    url = settings.require_database_url()
    # What people paste into psql by default; the driver form is for SQLAlchemy only.
    print(url if args.sqlalchemy else libpq_url(url))
    return 0


def _api_url(args: argparse.Namespace, settings: Settings) -> int:

    if not settings.api_url:
        print("dyadwatch: no API process is running in this stack", file=sys.stderr)
        return 1
    print(settings.api_url)
    return 0


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    from streams.db import migrate

    migrate(settings.require_database_url(), args.revision)
    print(f"database at {args.revision}", file=sys.stderr)
    return 0


def publisher_for_settings(settings: Settings) -> Publisher:
    """A producer for news.articles on the configured broker, its topics made sure of."""
    from streams.ingest.publish import Publisher
    from streams.topics import Topics, ensure_topics

    bootstrap = settings.require_kafka_bootstrap()
    topics = Topics.from_settings(settings)
    ensure_topics(bootstrap, topics, settings)
    return Publisher(bootstrap, topics, single_record_batches=settings.broker == "tansu")


def _summary(counts: dict[str, int]) -> int:
    rejected = sum(v for k, v in counts.items() if k.startswith("rejected."))
    parts = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    print(f"{counts.get('published', 0)} published, {rejected} rejected ({parts})", file=sys.stderr)
    return 0


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from streams.ingest.run import ingest

    publisher = publisher_for_settings(settings)
    try:
        counts = ingest(
            args.paths,
            publisher,
            max_bytes=settings.max_article_bytes,
            published_at=args.published_at,
            progress=not args.quiet,
        )
    finally:
        publisher.close()
    return _summary(counts)


def _bridge(args: argparse.Namespace, settings: Settings) -> int:
    from streams.ingest.bridge import run_bridge

    publisher = publisher_for_settings(settings)
    try:
        counts = run_bridge(
            settings.require_kafka_bootstrap(),
            args.topic,
            publisher,
            group_id=args.group,
            max_bytes=settings.max_article_bytes,
            idle_exit=args.idle_exit,
            progress=not args.quiet,
        )
    except KeyboardInterrupt:
        counts = publisher.counts
    finally:
        publisher.close()
    return _summary(counts)


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    from streams.worker import run_worker

    run_worker(settings, loglevel=args.loglevel, web_port=args.web_port)
    return 0


def _events(args: argparse.Namespace, settings: Settings) -> int:
    from streams.reporting.events import print_events

    return print_events(settings, article=args.article, wait=args.wait, fmt=args.format)


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from streams.db import engine_for
    from streams.reporting.dyads import report_history, report_status

    engine = engine_for(settings.require_database_url())
    if args.what == "history":
        if not args.pair:
            raise DyadwatchError("report history needs --pair, e.g. --pair US-VE")
        return report_history(engine, pair=args.pair, fmt=args.format, out=sys.stdout)
    return report_status(
        engine,
        pair=args.pair,
        country=args.country,
        as_of=args.as_of,
        fmt=args.format,
        out=sys.stdout,
    )


def _rebuild(args: argparse.Namespace, settings: Settings) -> int:
    from streams.db import engine_for
    from streams.state.repository import rebuild

    engine = engine_for(settings.require_database_url())
    with engine.begin() as conn:
        print(rebuild(conn, expiry_days=settings.signal_expiry_days))
    return 0


def _reprocess(args: argparse.Namespace, settings: Settings) -> int:
    from streams.db import engine_for
    from streams.detect.version import detector_version
    from streams.reprocess import reprocess

    report = reprocess(
        engine_for(settings.require_database_url()),
        version=detector_version(),
        since=args.since,
        every=args.all,
        expiry_days=settings.signal_expiry_days,
        progress=not args.quiet,
    )
    print(report)
    return 0


def _deadletter(args: argparse.Namespace, settings: Settings) -> int:
    from streams.replay import Selection, print_letters, read_letters, replay
    from streams.topics import Topics

    bootstrap = settings.require_kafka_bootstrap()
    topics = Topics.from_settings(settings)
    selection = Selection(
        stage=args.stage,
        reason=args.reason,
        offsets=frozenset(args.offset),
        from_offset=args.from_offset,
    )
    items = read_letters(bootstrap, topics.deadletter, progress=not args.quiet)
    if args.action == "list":
        print_letters(items, selection, args.format, sys.stdout)
        return 0
    sent = replay(bootstrap, topics, items, selection, progress=not args.quiet)
    where = ", ".join(f"{topic}={n}" for topic, n in sorted(sent.items())) or "nothing chosen"
    print(f"{sum(sent.values())} replayed ({where})", file=sys.stderr)
    return 0


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dyadwatch", description="Sanctions and diplomatic relations between states, live."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Handler, text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=text, description=text)
        p.set_defaults(handler=handler)
        return p

    p = add("up", _up, "start the embedded stack (Kafka-compatible broker, PostgreSQL, workers)")
    p.add_argument("--detach", action="store_true", help="return once the stack is ready")
    p.add_argument("--workers", type=int, default=None, help="Faust workers to start")
    add("down", _down, "stop the embedded stack")
    p = add("db-url", _db_url, "print the database URL, as psql takes it")
    form = p.add_mutually_exclusive_group()
    form.add_argument("--sqlalchemy", action="store_true", help="with the driver, for SQLAlchemy")
    # Kept for scripts written when the driver form was the default.
    form.add_argument("--libpq", action="store_true", help="as psql takes it (the default)")
    add("api-url", _api_url, "print the API URL")
    p = add("migrate", _migrate, "upgrade the database schema")
    p.add_argument("revision", nargs="?", default="head")
    p = add("ingest", _ingest, "publish articles (files, dirs, JSONL, RSS/Atom, URLs, -)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--published-at", type=_date, help="date for articles that carry none")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p = add("bridge", _bridge, "validate raw news JSON from an upstream topic and republish it")
    p.add_argument("--topic", required=True, help="the upstream topic")
    p.add_argument("--group", default="dyadwatch-bridge", help="consumer group id")
    p.add_argument("--idle-exit", type=float, default=None, help="stop after N idle seconds")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p = add("worker", _worker, "run one Faust worker (detect and persist)")
    p.add_argument("--loglevel", default="warning")
    p.add_argument("--web-port", type=int, default=0, help="Faust web port (0: off)")
    sub.add_parser("extract", help="detect events in JSONL articles (or --text), print JSONL")
    p = add("events", _events, "list detected events stored in PostgreSQL")
    p.add_argument("--article", help="only this article's events")
    p.add_argument("--wait", type=float, default=0.0, help="wait up to N seconds for events")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p = add("report", _report, "status of country pairs, now or on a date; a pair's history")
    p.add_argument("what", choices=("status", "history"))
    where = p.add_mutually_exclusive_group()
    where.add_argument("--pair", help="two codes, e.g. US-VE")
    where.add_argument("--country", help="every pair with this state, e.g. RU")
    p.add_argument("--as-of", type=_date, help="the status on this date (YYYY-MM-DD)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    add("rebuild", _rebuild, "recompute all dyad state from the events table")
    p = add("reprocess", _reprocess, "detect again over stored articles, then rebuild state")
    p.add_argument("--since", type=_date, help="only articles published on or after this date")
    p.add_argument(
        "--all", action="store_true", help="also articles the current detector already read"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p = add("deadletter", _deadletter, "list dead letters, or replay them where they came from")
    p.add_argument("action", choices=("list", "replay"))
    p.add_argument("--stage", choices=STAGES, help="only letters of this stage")
    p.add_argument("--reason", help="only letters with this reason, e.g. not_json")
    p.add_argument("--offset", type=int, action="append", default=[], help="this letter only")
    p.add_argument("--from-offset", type=int, default=0, help="letters at or after this offset")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    from streams.cli_commands import add_commands
    from streams.ingest.feed_commands import add_commands as add_feed_commands

    add_commands(add)
    add_feed_commands(add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["extract"]:
        # extract owns its whole argument list (the contract fixes its flags).
        from streams.detect.extract import main as extract_main

        return int(extract_main(argv[1:]))
    args = build_parser().parse_args(argv)
    settings = get_settings()
    configure(settings.log_level, settings.log_format)
    try:
        # Resolved once: every command reads its services from these settings alone.
        return int(args.handler(args, with_running_stack(settings)))
    except DyadwatchError as exc:
        print(f"dyadwatch: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"dyadwatch: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
