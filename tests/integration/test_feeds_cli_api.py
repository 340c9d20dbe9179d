"""Feeds through their two front doors: `dyadwatch feeds … / poll --once` as processes, and
/v1/feeds and /metrics on a running API."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine

from streams.settings import Settings
from streams.topics import Topics
from streams.web.keys import create_key
from tests import feed_pages as pages
from tests.feed_pages import Item
from tests.integration.conftest import settings_env
from tests.integration.feeds_support import read_topic
from tests.site import Route, Site, serve

pytestmark = pytest.mark.integration


@pytest.fixture
def site() -> Iterator[Site]:
    yield from serve()


def cli(settings: Settings, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**settings_env(settings), "DYADWATCH_ALLOW_PRIVATE_URLS": "true"}
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *argv],
        env=env,
        check=check,
        capture_output=True,
        text=True,
    )


def listed(settings: Settings) -> list[dict[str, object]]:
    out = cli(settings, "feeds", "list", "--format", "json").stdout
    return [json.loads(line) for line in out.splitlines()]


def arabic_feed(site: Site) -> str:
    items = [Item(f"urn:sahil:{i}", f"خبر {i}", None, " ".join(pages.ARABIC_BODY)) for i in (1, 2)]
    site.routes["/ar.atom"] = Route(
        body=pages.atom("صحيفة الساحل", items), content_type="application/atom+xml"
    )
    return site.url("/ar.atom")


def test_feeds_commands_and_poll_once(settings: Settings, site: Site) -> None:
    url = arabic_feed(site)
    cli(settings, "feeds", "add", url, "--every", "5m", "--lang", "ar")
    (feed,) = listed(settings)
    assert (feed["url"], feed["every_seconds"], feed["lang"], feed["paused"]) == (
        url,
        300,
        "ar",
        False,
    )
    cli(settings, "feeds", "pause", str(feed["id"]))
    assert listed(settings)[0]["paused"] is True
    cli(settings, "poll", "--once")
    assert site.hits["/ar.atom"] == 0  # a paused feed is not polled
    cli(settings, "feeds", "resume", url)
    done = cli(settings, "poll", "--once")
    assert json.loads(done.stderr.splitlines()[-1])["published"] == 2
    table = cli(settings, "feeds", "list").stdout
    assert "ok" in table and url in table
    assert listed(settings)[0]["items_seen"] == 2
    ids = sorted(a["id"] for a in read_topic(settings, Topics.from_settings(settings).articles))
    assert ids == ["urn:sahil:1", "urn:sahil:2"]

    refused = cli(settings, "feeds", "add", "file:///etc/passwd", check=False)
    assert refused.returncode == 2 and "http or https" in refused.stderr
    bad_every = cli(settings, "feeds", "add", url, "--every", "1s", check=False)
    assert bad_every.returncode == 2 and "interval" in bad_every.stderr
    cli(settings, "feeds", "remove", url)
    assert listed(settings) == []
    missing = cli(settings, "feeds", "remove", url, check=False)
    assert missing.returncode == 2 and "no such feed" in missing.stderr


def test_feeds_api_reads_for_any_key_writes_for_writers_and_metrics(
    settings: Settings, engine: Engine, api: str, site: Site
) -> None:
    with engine.begin() as conn:
        viewer = create_key(conn, "viewer", read_only=True)[1]
        writer = create_key(conn, "writer")[1]
    url = arabic_feed(site)
    assert httpx.get(f"{api}/v1/feeds").status_code == 401
    body = {"url": url, "every": "2m", "lang": "ar"}
    as_viewer = {"Authorization": f"Bearer {viewer}"}
    as_writer = {"Authorization": f"Bearer {writer}"}
    assert httpx.post(f"{api}/v1/feeds", json=body, headers=as_viewer).status_code == 403
    made = httpx.post(f"{api}/v1/feeds", json=body, headers=as_writer)
    assert made.status_code == 201, made.text
    feed_id = made.json()["id"]
    # A feed never polled yet has no last success: /metrics says 0, and still answers.
    metrics = httpx.get(f"{api}/metrics")
    assert metrics.status_code == 200, metrics.text
    assert f'dyadwatch_feed_last_success_timestamp_seconds{{feed="{feed_id}"' in metrics.text
    bad = httpx.post(f"{api}/v1/feeds", json={**body, "every": "soon"}, headers=as_writer)
    assert bad.status_code == 422
    not_http = httpx.post(f"{api}/v1/feeds", json={"url": "ftp://x.example/"}, headers=as_writer)
    assert (not_http.status_code, not_http.json()["error"]) == (422, "invalid")
    # Private addresses are allowed here (the test site is on 127.0.0.1); credentials never are.
    unsafe = httpx.post(f"{api}/v1/feeds", json={"url": "http://u:p@x.example/"}, headers=as_writer)
    assert (unsafe.status_code, unsafe.json()["error"]) == (422, "unsafe_url")

    cli(settings, "poll", "--once")
    (seen,) = httpx.get(f"{api}/v1/feeds", headers=as_viewer).json()
    assert (seen["id"], seen["every_seconds"], seen["items_seen"], seen["failures"]) == (
        feed_id,
        120,
        2,
        0,
    )
    assert seen["last_success_at"] and seen["next_due_at"] and seen["last_error"] is None
    one = httpx.get(f"{api}/v1/feeds/{feed_id}", headers=as_viewer)
    assert one.json()["url"] == url
    assert httpx.get(f"{api}/v1/feeds/nope", headers=as_viewer).status_code == 404

    polled = httpx.get(f"{api}/metrics").text
    assert 'dyadwatch_feeds{state="ok"} 1' in polled
    assert f'dyadwatch_feed_items_seen_total{{feed="{feed_id}",url="{url}"}} 2' in polled

    paused = httpx.post(f"{api}/v1/feeds/{feed_id}/pause", headers=as_writer)
    assert paused.json()["paused"] is True
    assert 'dyadwatch_feeds{state="paused"} 1' in httpx.get(f"{api}/metrics").text
    assert (
        httpx.post(f"{api}/v1/feeds/{feed_id}/resume", headers=as_writer).json()["paused"] is False
    )
    assert httpx.delete(f"{api}/v1/feeds/{feed_id}", headers=as_viewer).status_code == 403
    assert httpx.delete(f"{api}/v1/feeds/{feed_id}", headers=as_writer).status_code == 204
    assert httpx.get(f"{api}/v1/feeds", headers=as_viewer).json() == []
