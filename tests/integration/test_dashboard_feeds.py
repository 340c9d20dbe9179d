"""The feeds page in a real headless Chromium, on the real API and the real poller: a writer
key follows a feed, sees what a poll left (items, a failing feed's error), pauses and removes
it; a read-only key sees the same feeds and can change none."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from sqlalchemy import Engine, text

from streams.settings import Settings
from streams.web.keys import create_key
from tests import feed_pages as pages
from tests.feed_pages import Item
from tests.integration.browser import (
    screenshot,
    screenshots_dir,
    sign_in,
    start_chromium,
    submit,
    until,
)
from tests.integration.conftest import settings_env
from tests.site import Route, Site, serve

pytestmark = pytest.mark.integration


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    driver = start_chromium(tmp_path)
    yield driver
    driver.quit()


@pytest.fixture
def site() -> Iterator[Site]:
    yield from serve()


def poll_once(settings: Settings) -> None:
    env = {**settings_env(settings), "DYADWATCH_ALLOW_PRIVATE_URLS": "true"}
    argv = [sys.executable, "-m", "streams.cli", "poll", "--once"]
    subprocess.run(argv, env=env, check=True, capture_output=True)


def follow(browser: WebDriver, url: str, every: str, lang: str = "") -> None:
    form = browser.find_element(By.ID, "new-feed")
    form.find_element(By.ID, "url").send_keys(url)
    field = form.find_element(By.ID, "every")
    field.clear()
    field.send_keys(every)
    form.find_element(By.ID, "lang").send_keys(lang)
    submit(browser, form.find_element(By.ID, "follow"))


def row(browser: WebDriver, url: str) -> dict[str, str]:
    """A feed's row as a person reads it: its state and each column's text by header."""
    headers = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "#feeds thead th")]
    for tr in browser.find_elements(By.CSS_SELECTOR, "#feeds tbody tr"):
        cells = [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
        if cells and cells[0] == url:
            columns = dict(zip(headers, cells, strict=True))
            return {"state": tr.get_attribute("data-state") or "", **columns}
    raise AssertionError(f"no row for {url}")


def feed_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM feeds")).scalar_one())


def test_a_writer_follows_polls_pauses_and_removes_feeds_and_a_viewer_only_looks(
    settings: Settings, engine: Engine, api: str, browser: WebDriver, site: Site, tmp_path: Path
) -> None:
    shots = screenshots_dir(tmp_path)
    with engine.begin() as conn:
        writer = create_key(conn, "editor")[1]
        viewer = create_key(conn, "viewer", read_only=True)[1]
    items = [Item(f"urn:sahil:{i}", f"خبر {i}", None, " ".join(pages.ARABIC_BODY)) for i in (1, 2)]
    site.routes["/ar.atom"] = Route(
        body=pages.atom("صحيفة الساحل", items), content_type="application/atom+xml"
    )
    site.routes["/gone.rss"] = Route(body=b"gone", status=500, content_type="text/plain")
    good, broken = site.url("/ar.atom"), site.url("/gone.rss")

    sign_in(browser, api, writer)
    until(browser, lambda d: d.current_url == f"{api}/", 10, "the overview after sign-in")
    browser.find_element(By.CSS_SELECTOR, "nav a[href='/feeds']").click()
    until(browser, lambda d: d.current_url == f"{api}/feeds", 10, "the feeds page")
    assert browser.find_element(By.ID, "no-feeds").text == "No feed followed yet."

    # A bad interval is refused with the reason a person can act on, and the URL typed stays.
    follow(browser, good, "1s")
    assert (
        "every: expected how often to poll, from 10s to 7d"
        in browser.find_element(By.ID, "problem").text
    )
    assert browser.find_element(By.ID, "url").get_attribute("value") == good
    assert feed_count(engine) == 0
    browser.get(f"{api}/feeds")
    follow(browser, "ftp://x.example/feed", "5m")
    assert "url: expected an http(s) URL" in browser.find_element(By.ID, "problem").text

    browser.get(f"{api}/feeds")
    follow(browser, good, "5m", "ar")
    assert browser.find_element(By.ID, "notice").text.startswith("Feed followed")
    follow(browser, broken, "2h")
    fresh = row(browser, good)
    assert (fresh["state"], fresh["Every"], fresh["Language"], fresh["Items"]) == (
        "ok",
        "5m",
        "ar",
        "0",
    )
    assert fresh["Last success (UTC)"] == "never"

    # The real poller polls both: one answers two items, the other fails with its reason.
    poll_once(settings)
    browser.get(f"{api}/feeds")
    polled, failing = row(browser, good), row(browser, broken)
    assert polled["Items"] == "2" and polled["Last success (UTC)"].startswith("20")
    assert failing["state"] == "failing" and failing["Failures in a row"] == "1"
    assert "500" in failing["Last error"]
    screenshot(browser, shots, "feeds")
    screenshot(browser, shots, "feeds-phone", width=390)
    browser.set_window_size(1280, 900)

    browser.get(f"{api}/health")
    states = browser.find_element(By.ID, "feed-states")
    assert states.text.startswith("1 ok · 1 failing · 0 paused")
    states.find_element(By.LINK_TEXT, "feeds page").click()
    until(browser, lambda d: d.current_url == f"{api}/feeds", 10, "the feeds page from health")

    pause = "#feeds tr[data-state=failing] .feed-actions button"
    submit(browser, browser.find_element(By.CSS_SELECTOR, pause))
    assert browser.find_element(By.ID, "notice").text == "Feed paused."
    assert row(browser, broken)["state"] == "paused"
    assert row(browser, broken)["Next due (UTC)"] == "—"

    # A form post without the session's CSRF token changes nothing.
    status = browser.execute_script(
        "return fetch(document.querySelector('#feeds .feed-actions form').action,"
        " {method: 'POST', body: new URLSearchParams({csrf: 'forged', paused: 'true'})})"
        ".then(r => r.status)"
    )
    assert status == 403 and row(browser, good)["state"] == "ok"

    # The viewer sees the same feeds, with no form and no buttons, and a post made by hand
    # with its own session's token is refused.
    (tmp_path / "viewer").mkdir()
    viewing = start_chromium(tmp_path / "viewer")
    try:
        sign_in(viewing, api, viewer)
        until(viewing, lambda d: d.current_url == f"{api}/", 10, "the viewer's overview")
        viewing.get(f"{api}/feeds")
        assert {row(viewing, good)["state"], row(viewing, broken)["state"]} == {"ok", "paused"}
        assert "read-only" in viewing.find_element(By.ID, "read-only").text
        assert not viewing.find_elements(By.ID, "new-feed")
        assert not viewing.find_elements(By.CSS_SELECTOR, "#feeds button")
        screenshot(viewing, shots, "feeds-read-only")
        refused = viewing.execute_script(
            """
            const csrf = document.querySelector("input[name=csrf]").value;
            const body = new URLSearchParams({csrf: csrf, url: arguments[0], every: "5m"});
            return fetch("/feeds", {method: "POST", body: body}).then(r => r.status);
            """,
            site.url("/other.rss"),
        )
        assert refused == 403 and feed_count(engine) == 2
    finally:
        viewing.quit()

    remove = "#feeds tr[data-state=paused] button.danger"
    submit(browser, browser.find_element(By.CSS_SELECTOR, remove))
    assert browser.find_element(By.ID, "notice").text == "Feed removed."
    assert feed_count(engine) == 1
    urls = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#feeds td.url")]
    assert urls == [good]
