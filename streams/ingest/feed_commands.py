"""`dyadwatch feeds add|list|remove|pause|resume` and `dyadwatch poll`: the CLI of feeds."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable
from typing import TextIO

from models.feeds import FeedHealth
from streams.errors import ConfigError
from streams.settings import Settings

Handler = Callable[[argparse.Namespace, Settings], int]
Add = Callable[[str, Handler, str], argparse.ArgumentParser]
ACTIONS = ("add", "list", "remove", "pause", "resume")


def add_commands(add: Add) -> None:
    p = add("feeds", feeds, "follow RSS/Atom feeds: add, list (with health), remove, pause, resume")
    p.add_argument("action", choices=ACTIONS)
    p.add_argument("feed", nargs="?", help="the feed's URL (add), or its URL or id")
    p.add_argument("--every", default="15m", help="poll interval: 90s, 5m, 2h, 1d (add)")
    p.add_argument("--lang", help="language of the feed's articles, e.g. ar (add)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="(list)")
    p = add("poll", poll, "poll the feeds on their schedules and publish their new items")
    p.add_argument("--once", action="store_true", help="poll the feeds due now, then exit")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def feeds(args: argparse.Namespace, settings: Settings) -> int:
    from streams.db import engine_for
    from streams.feeds import repository
    from streams.feeds.schedule import parse_every
    from streams.ssrf import check_saved_url

    if args.action != "list" and not args.feed:
        raise ConfigError(f"feeds {args.action} needs a feed URL or id")
    engine = engine_for(settings.require_database_url())
    with engine.begin() as conn:
        if args.action == "add":
            every = parse_every(args.every)
            check_saved_url(args.feed, allow_private=settings.private_urls_allowed())
            feed = repository.add(conn, args.feed, every, args.lang)
            print(f"following {feed.url} every {args.every} (id {feed.id})", file=sys.stderr)
        elif args.action == "list":
            print_feeds(repository.list_all(conn), args.format, sys.stdout)
        elif args.action == "remove":
            if not repository.remove(conn, args.feed):
                raise ConfigError(f"no such feed: {args.feed}")
            print(f"removed {args.feed}", file=sys.stderr)
        else:
            changed = repository.set_paused(conn, args.feed, args.action == "pause")
            if changed is None:
                raise ConfigError(f"no such feed: {args.feed}")
            print(f"{args.action}d {changed.url}", file=sys.stderr)
    return 0


def print_feeds(found: list[FeedHealth], fmt: str, out: TextIO) -> None:
    from streams.feeds.schedule import format_every

    if fmt == "json":
        for feed in found:
            print(feed.model_dump_json(), file=out)
        return
    print(
        "id        every  state   items  last success          next due              error",
        file=out,
    )
    for feed in found:
        success = (
            feed.last_success_at.strftime("%Y-%m-%d %H:%M:%S") if feed.last_success_at else "-"
        )
        due = feed.next_due_at.strftime("%Y-%m-%d %H:%M:%S")
        error = f"{feed.last_error} (x{feed.failures})" if feed.failures else "-"
        print(
            f"{feed.id[:8]}  {format_every(feed.every_seconds):>5}  {feed.state:7}"
            f" {feed.items_seen:>6}  {success:20}  {due:20}  {error}",
            file=out,
        )
        print(f"          {feed.url}", file=out)


def poll(args: argparse.Namespace, settings: Settings) -> int:
    from streams.cli import publisher_for_settings
    from streams.db import engine_for
    from streams.ingest.poll import Poller

    engine = engine_for(settings.require_database_url())
    publisher = publisher_for_settings(settings)
    poller = Poller(engine, publisher, settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    try:
        if args.once:
            poller.poll_due()
        else:
            print("polling feeds", file=sys.stderr, flush=True)
            # A bar only for a person watching; `up` writes the poller's output to a log file.
            poller.run(stop, progress=not args.quiet and sys.stderr.isatty())
    except KeyboardInterrupt:
        pass
    finally:
        poller.close()
        publisher.close()
    counts = {**poller.counts, **publisher.counts}
    print(json.dumps(dict(sorted(counts.items()))), file=sys.stderr)
    return 0
