"""The dashboard in a real headless Chromium, on the real API over a database filled by the
real pipeline from the seed article: what a person signing in with a key sees."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from sqlalchemy import Engine, text

from streams.settings import Settings
from streams.web.keys import create_key
from tests.integration.alerts_support import (
    Receiver,
    alert_env,
    start_alerts_worker,
)
from tests.integration.browser import (
    screenshot,
    screenshots_dir,
    sign_in,
    start_chromium,
    submit,
    texts,
    until,
)
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration

SEED = Path(__file__).resolve().parents[3] / "shared/seed/venezuela-us-russia-2022-03.ar.txt"
# Written for this test: one English report of a state imposing sanctions on another.
NEW_ARTICLE = (
    "Paris, 14 March 2023. France imposed new sanctions on Iran on Monday, freezing the "
    "assets of several officials, the French foreign ministry said.\n"
)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    driver = start_chromium(tmp_path)
    yield driver
    driver.quit()


def new_key(engine: Engine, name: str, *, read_only: bool = False) -> str:
    with engine.begin() as conn:
        return create_key(conn, name, read_only=read_only)[1]


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def ingest(settings: Settings, path: Path, published: str) -> None:
    argv = ["ingest", str(path), "--quiet", "--published-at", published]
    subprocess.run(
        [sys.executable, "-m", "streams.cli", *argv],
        env=alert_env(settings),
        check=True,
        capture_output=True,
    )


def count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def pair_rows(driver: WebDriver) -> dict[str, str]:
    rows = driver.find_elements(By.CSS_SELECTOR, "#pairs tbody tr")
    return {r.get_attribute("data-dyad") or "": r.get_attribute("data-state") or "" for r in rows}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def test_seed_state_history_evidence_and_live_feed(
    settings: Settings,
    engine: Engine,
    api: str,
    browser: WebDriver,
    receiver: Receiver,
    tmp_path: Path,
) -> None:
    shots = screenshots_dir(tmp_path)
    analyst = new_key(engine, "analyst")
    hook = {"channel": "webhook", "webhook_url": receiver.url, "filters": {"pairs": ["US-VE"]}}
    made = httpx.post(f"{api}/v1/subscriptions", json=hook, headers=auth(analyst))
    assert made.status_code == 201, made.text
    worker = start_alerts_worker(settings, tmp_path / "worker.log")
    try:
        ingest(settings, SEED, "2022-03-06")
        wait_for(
            lambda: count(engine, "SELECT count(*) FROM dyad_periods WHERE dyad = 'US-VE'") >= 2,
            120,
            "the seed's periods",
        )

        # A wrong key is refused with a sentence, and no session is opened.
        sign_in(browser, api, "dw_" + "x" * 43)
        refused = browser.find_element(By.ID, "refused").text
        assert "unknown or revoked" in refused
        assert browser.get_cookie("dyadwatch_session") is None
        screenshot(browser, shots, "sign-in-refused")

        sign_in(browser, api, analyst)
        until(browser, lambda d: d.current_url == f"{api}/", 10, "the overview after sign-in")
        cookie = browser.get_cookie("dyadwatch_session")
        assert cookie and cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
        assert browser.execute_script("return document.cookie") == ""

        # Overview, diplomatic: US–VE severed; on 2018-06-01 it was not (absent: normal).
        assert pair_rows(browser) == {"US-VE": "severed"}
        assert "2019" in browser.find_element(By.CSS_SELECTOR, "#pairs tbody tr").text
        assert browser.find_element(By.CSS_SELECTOR, "#matrix .tone-broken").text == "severed"
        until(browser, lambda d: d.find_element(By.ID, "live-status").text == "live", 15, "live")
        screenshot(browser, shots, "overview")
        browser.execute_script("document.getElementById('as_of').value = '2018-06-01'")
        submit(browser, browser.find_element(By.ID, "show"))
        until(browser, lambda d: "as_of=2018-06-01" in d.current_url, 10, "the as-of page")
        assert pair_rows(browser) == {}
        assert "2018-06-01" in browser.find_element(By.ID, "no-pairs").text
        screenshot(browser, shots, "overview-2018-06-01")
        browser.get(f"{api}/?dimension=sanctions")
        assert pair_rows(browser) == {"RU-US": "active", "US-VE": "active"}
        counts = browser.find_element(By.ID, "signal-counts").text
        assert "sanctions" in counts and "oil" in counts

        # The dyad page: the 2019 period, its band, and the Arabic sentence right to left.
        browser.get(f"{api}/dyads/US-VE")
        periods = texts(browser, "#track-diplomatic .period")
        assert len(periods) == 1 and periods[0].startswith("severed 2019")
        assert "year" in periods[0] and "date stated in the text" in periods[0]
        assert browser.find_elements(By.CSS_SELECTOR, "#track-diplomatic rect.tone-broken")
        sentences = browser.find_elements(By.CSS_SELECTOR, "#evidence .sentence")
        severed = [s for s in sentences if "2019" in s.text and "الدبلوماسية" in s.text]
        assert len(severed) == 1
        assert severed[0].get_attribute("lang") == "ar"
        assert (
            browser.execute_script("return getComputedStyle(arguments[0]).direction", severed[0])
            == "rtl"
        )
        marked = [m.text for m in severed[0].find_elements(By.CSS_SELECTOR, "mark.party")]
        assert "فنزويلا" in marked and "الولايات المتحدة" in marked
        screenshot(browser, shots, "dyad-US-VE")
        browser.get(f"{api}/dyads/ve-us")
        assert browser.current_url == f"{api}/dyads/US-VE"
        screenshot(browser, shots, "dyad-US-VE-phone", width=390)
        browser.set_window_size(1280, 900)

        browser.get(f"{api}/countries/US")
        assert set(texts(browser, "#sanctions-out tbody tr a[href^='/dyads/']")) == {
            "RU-US",
            "US-VE",
        }
        assert "الولايات المتحدة" in browser.find_element(By.TAG_NAME, "h1").text
        screenshot(browser, shots, "country-US")
        browser.get(f"{api}/health")
        articles = browser.find_element(By.CSS_SELECTOR, "#counts tr[data-what=articles]").text
        assert articles.split()[-1] == "1"
        screenshot(browser, shots, "health")

        # The subscription's webhook deliveries, with their status codes.
        wait_for(lambda: len(receiver.accepted()) >= 2, 60, "the seed's two webhooks")
        wait_for(
            lambda: count(engine, "SELECT count(*) FROM delivery_attempts") >= 2, 10, "attempts"
        )
        browser.get(f"{api}/subscriptions")
        rows = texts(browser, f"li[data-id='{made.json()['id']}'] .deliveries tbody tr")
        assert len(rows) == 2 and all("delivered" in r and "204" in r for r in rows), rows
        screenshot(browser, shots, "subscriptions-deliveries")

        # A new article's change reaches the open overview over the stream, with no reload.
        browser.get(f"{api}/")
        until(browser, lambda d: d.find_element(By.ID, "live-status").text == "live", 15, "live")
        browser.execute_script("window.stillThisPage = true")
        feed = browser.find_element(By.ID, "changes")
        before = feed.rect, browser.find_element(By.ID, "pairs").rect
        assert "FR-IR" not in feed.text
        article = tmp_path / "france-iran.en.txt"
        article.write_text(NEW_ARTICLE, encoding="utf-8")
        ingest(settings, article, "2023-03-14")
        until(browser, lambda d: "FR-IR" in feed.text, 60, "the new change in the live feed")
        newest = browser.find_element(By.CSS_SELECTOR, "#changes li:first-child")
        assert "FR-IR" in newest.text and "none → active" in newest.text
        assert "France → Iran" in newest.text
        assert browser.execute_script("return window.stillThisPage === true")
        assert (feed.rect, browser.find_element(By.ID, "pairs").rect) == before
        screenshot(browser, shots, "overview-live")
    finally:
        worker.stop()


def cli(settings: Settings, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *argv],
        env=alert_env(settings),
        check=True,
        capture_output=True,
        text=True,
    )


def test_read_only_key_looks_but_cannot_subscribe(
    settings: Settings, engine: Engine, api: str, browser: WebDriver, tmp_path: Path
) -> None:
    shots = screenshots_dir(tmp_path)
    made = cli(settings, "apikey", "create", "--name", "viewer", "--read-only")
    viewer = made.stdout.strip()
    assert "read-only key id" in made.stderr
    [listed] = [
        line for line in cli(settings, "apikey", "list").stdout.splitlines() if "viewer" in line
    ]
    assert listed.endswith("active  read-only")
    sign_in(browser, api, viewer)
    until(browser, lambda d: d.current_url == f"{api}/", 10, "the overview after sign-in")
    assert "read-only" in browser.find_element(By.CSS_SELECTOR, ".who").text

    # From the keyboard: the first Tab reaches "Skip to content", which leads into the page.
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.text == "Skip to content"
    focused.send_keys(Keys.ENTER)
    until(browser, lambda d: d.switch_to.active_element.get_attribute("id") == "main", 5, "main")
    browser.get(f"{api}/subscriptions")
    assert "read-only" in browser.find_element(By.ID, "read-only").text
    assert not browser.find_elements(By.ID, "new-subscription")
    screenshot(browser, shots, "subscriptions-read-only")
    # A post made by hand, with the session's own CSRF token, is refused all the same.
    status = browser.execute_script(
        """
        const csrf = document.querySelector("input[name=csrf]").value;
        const body = new URLSearchParams({csrf: csrf, channel: "sse", pairs: "US-VE"});
        return fetch("/subscriptions", {method: "POST", body: body}).then(r => r.status);
        """
    )
    assert status == 403
    answer = httpx.post(
        f"{api}/v1/subscriptions",
        json={"channel": "sse", "filters": {"pairs": ["US-VE"]}},
        headers=auth(viewer),
    )
    assert answer.status_code == 403 and answer.json()["error"] == "read_only"
    theirs = httpx.get(f"{api}/v1/subscriptions", headers=auth(viewer))
    assert theirs.status_code == 200 and theirs.json() == []
    assert count(engine, "SELECT count(*) FROM subscriptions") == 0


def test_a_writer_key_subscribes_pauses_and_deletes_through_the_page(
    engine: Engine, api: str, browser: WebDriver, tmp_path: Path
) -> None:
    shots = screenshots_dir(tmp_path)
    writer = new_key(engine, "writer")
    sign_in(browser, api, writer)
    until(browser, lambda d: d.current_url == f"{api}/", 10, "the overview after sign-in")
    browser.get(f"{api}/subscriptions")
    form = browser.find_element(By.ID, "new-subscription")
    form.find_element(By.ID, "pairs").send_keys("VE-US")
    form.find_element(By.CSS_SELECTOR, "input[name=dimensions][value=sanctions]").click()
    submit(browser, form.find_element(By.ID, "create"))
    assert browser.find_element(By.ID, "notice").text == "Subscription created."
    made = httpx.get(f"{api}/v1/subscriptions", headers=auth(writer))
    [sub] = made.json()
    assert sub["filters"]["pairs"] == ["US-VE"] and sub["filters"]["dimensions"] == ["sanctions"]
    assert sub["channel"] == "sse" and sub["active"] is True

    item = f"li.subscription[data-id='{sub['id']}']"
    submit(browser, browser.find_element(By.CSS_SELECTOR, f"{item} .actions button"))
    assert browser.find_element(By.ID, "notice").text == "Subscription paused."
    assert browser.find_element(By.CSS_SELECTOR, item).get_attribute("data-active") == "false"
    screenshot(browser, shots, "subscriptions")

    # A bad pair is refused with the API's reason, and the fields typed are kept.
    form = browser.find_element(By.ID, "new-subscription")
    form.find_element(By.ID, "pairs").send_keys("USVE")
    submit(browser, form.find_element(By.ID, "create"))
    assert "pairs" in browser.find_element(By.ID, "problem").text
    assert browser.find_element(By.ID, "pairs").get_attribute("value") == "USVE"

    # A form post without the session's CSRF token changes nothing.
    status = browser.execute_script(
        f"return fetch('/subscriptions/{sub['id']}/delete', {{method: 'POST', body: "
        "new URLSearchParams({csrf: 'forged'})}).then(r => r.status)"
    )
    assert status == 403 and count(engine, "SELECT count(*) FROM subscriptions") == 1
    submit(browser, browser.find_element(By.CSS_SELECTOR, f"{item} button.danger"))
    assert browser.find_element(By.ID, "notice").text == "Subscription deleted."
    assert count(engine, "SELECT count(*) FROM subscriptions") == 0

    # Signing out ends the session on the server: its cookie opens nothing any more.
    token = (browser.get_cookie("dyadwatch_session") or {}).get("value")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form.who button"))
    until(browser, lambda d: d.current_url.endswith("/sign-in"), 10, "the sign-in page")
    again = httpx.get(f"{api}/", cookies={"dyadwatch_session": token or ""})
    assert again.status_code == 303 and again.headers["location"] == "/sign-in"
    assert count(engine, "SELECT count(*) FROM dashboard_sessions") == 0
