"""`dyadwatch api | apikey | secrets | subscribe | subscriptions`: the API server and its CLI
twin."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from typing import Any

from models.vocabulary import VOCABULARY
from streams.errors import ConfigError
from streams.settings import Settings

Handler = Callable[[argparse.Namespace, Settings], int]
Add = Callable[[str, Handler, str], argparse.ArgumentParser]


def add_commands(add: Add) -> None:
    p = add("api", api, "serve the HTTP API (subscriptions, dyads, changes, alert stream)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default DYADWATCH_API_PORT)")
    p = add("apikey", apikey, "create, list or revoke API keys (needs the database)")
    p.add_argument("action", choices=("create", "list", "revoke"))
    p.add_argument("--name", help="who or what the key is for (create)")
    p.add_argument("--id", help="the key's id (revoke)")
    p.add_argument(
        "--read-only", action="store_true", help="a key that can look but not change (create)"
    )
    p = add("secrets", secrets, "webhook secrets at rest: print a new key, or seal them again")
    p.add_argument("action", choices=("new-key", "reseal"))
    p = add("subscribe", subscribe, "subscribe to alerts through the API (DYADWATCH_API_KEY)")
    p.add_argument("--pair", action="append", default=[], help="pair like US-VE (repeatable)")
    p.add_argument("--country", action="append", default=[], help="either side (repeatable)")
    p.add_argument("--dimension", action="append", default=[], help="|".join(VOCABULARY.dimensions))
    p.add_argument(
        "--type", action="append", default=[], help="event type: " + ", ".join(VOCABULARY.kinds)
    )
    p.add_argument("--status", action="append", default=[], help="|".join(VOCABULARY.statuses))
    p.add_argument("--min-confidence", type=float, default=0.0)
    p.add_argument("--min-sources", type=int, default=1)
    p.add_argument("--signals", action="store_true", help="also reports of what is considered")
    p.add_argument("--name")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--webhook", metavar="URL", help="POST signed alerts to this URL")
    how.add_argument("--sse", action="store_true", help="read alerts from /v1/alerts/stream")
    p.add_argument("--secret", help="webhook signing secret (generated when omitted)")
    p = add("subscriptions", subscriptions, "list or delete your subscriptions")
    p.add_argument("action", choices=("list", "delete"))
    p.add_argument("id", nargs="?", help="subscription id (delete)")


def api(args: argparse.Namespace, settings: Settings) -> int:
    from streams.server import serve

    serve(settings, host=args.host, port=args.port)
    return 0


def apikey(args: argparse.Namespace, settings: Settings) -> int:
    from streams.db import engine_for
    from streams.web import keys

    engine = engine_for(settings.require_database_url())
    with engine.begin() as conn:
        if args.action == "create":
            if not args.name:
                raise ConfigError("apikey create needs --name")
            record, key = keys.create_key(conn, args.name, read_only=args.read_only)
            kind = "read-only key" if record.read_only else "key"
            print(f"{kind} id {record.id} ({record.name}); the key is shown once:", file=sys.stderr)
            print(key)
        elif args.action == "list":
            for key_id, name, created, revoked, read_only in keys.list_keys(conn):
                state = f"revoked {revoked}" if revoked else "active"
                access = "read-only" if read_only else "read-write"
                print(f"{key_id}  {name}  created {created}  {state}  {access}")
        else:
            if not args.id or not keys.revoke(conn, args.id):
                raise ConfigError("apikey revoke needs the --id of a key that is not revoked")
            print(f"revoked {args.id}", file=sys.stderr)
    return 0


def secrets(args: argparse.Namespace, settings: Settings) -> int:
    from streams import sealing

    if args.action == "new-key":
        print(sealing.new_key())
        return 0
    from streams.db import engine_for
    from streams.web import repository

    engine = engine_for(settings.require_database_url())
    with engine.begin() as conn:
        count = repository.reseal_secrets(conn, sealing.Sealer.from_settings(settings))
    print(f"sealed {count} webhook secrets under the first key", file=sys.stderr)
    return 0


def _api_url(settings: Settings) -> str:
    # DYADWATCH_API_URL, else the running stack's API (filled in by the command line).
    if settings.api_url:
        return settings.api_url.rstrip("/")
    return f"http://127.0.0.1:{settings.api_port}"


def _call(settings: Settings, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    import httpx

    # httpx narrates each request at INFO, which would print in the middle of our output.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if settings.api_key is None:
        raise ConfigError("set DYADWATCH_API_KEY (create one with: dyadwatch apikey create)")
    headers = {"Authorization": f"Bearer {settings.api_key.get_secret_value()}"}
    url = _api_url(settings) + path
    try:
        response = httpx.request(method, url, json=body, headers=headers, timeout=30.0)
    except httpx.HTTPError as exc:
        raise ConfigError(f"cannot reach the API at {url}: {type(exc).__name__}") from None
    if response.status_code >= 400:
        try:
            detail = response.json().get("detail")
        except ValueError:
            detail = response.text[:300]
        raise ConfigError(f"API answered {response.status_code}: {detail}")
    return response.json() if response.content else None


def subscribe(args: argparse.Namespace, settings: Settings) -> int:
    filters = {
        "pairs": args.pair,
        "countries": args.country,
        "dimensions": args.dimension,
        "event_types": args.type,
        "statuses": args.status,
        "min_confidence": args.min_confidence,
        "min_sources": args.min_sources,
        "signals": args.signals,
    }
    body: dict[str, Any] = {"name": args.name, "filters": filters}
    if args.sse:
        body["channel"] = "sse"
    else:
        body.update(channel="webhook", webhook_url=args.webhook, secret=args.secret)
    print(json.dumps(_call(settings, "POST", "/v1/subscriptions", body), indent=2))
    return 0


def subscriptions(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "delete":
        if not args.id:
            raise ConfigError("subscriptions delete needs the subscription id")
        _call(settings, "DELETE", f"/v1/subscriptions/{args.id}")
        print(f"deleted {args.id}", file=sys.stderr)
        return 0
    for s in _call(settings, "GET", "/v1/subscriptions"):
        where = s.get("webhook_url") or "sse"
        active = "" if s["active"] else "  (paused)"
        print(f"{s['id']}  {s['channel']:7}  {where}  {json.dumps(s['filters'])}{active}")
    return 0
