"""Headless Chromium from Debian's packages, driven through its ChromeDriver, for tests that
check what a person sees. Screenshots go to DYADWATCH_TEST_SCREENSHOTS (default: the test's
temporary directory), so a run leaves them to look at."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Without the networking switches Chromium waits on services it cannot reach here.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
)


def start_chromium(profile: Path) -> WebDriver:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    assert not missing, f"browser tests need {missing}: apt-get install chromium chromium-driver"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(dir=profile)}")
    # The driver is given, so Selenium never looks for one to download.
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    return driver


def screenshots_dir(tmp_path: Path) -> Path:
    where = Path(os.environ.get("DYADWATCH_TEST_SCREENSHOTS") or tmp_path / "screenshots")
    where.mkdir(parents=True, exist_ok=True)
    return where


def screenshot(driver: WebDriver, where: Path, name: str, width: int = 1280) -> Path:
    """The whole page at that width, however long it is."""
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(width, max(700, min(height + 40, 6000)))
    path = where / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def until(driver: WebDriver, check: Callable[[WebDriver], Any], timeout: float, what: str) -> Any:
    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(
        check, message=f"timed out after {timeout:.0f}s waiting for {what}"
    )


def submit(driver: WebDriver, button: WebElement, timeout: float = 15) -> None:
    """Click a form's button and wait until the page it leads to has replaced this one."""
    driver.execute_script("window.beforeSubmit = true")
    button.click()
    until(
        driver,
        lambda d: d.execute_script(
            "return window.beforeSubmit !== true && document.readyState === 'complete'"
        ),
        timeout,
        "the form's answer to load",
    )


def sign_in(driver: WebDriver, base: str, key: str) -> None:
    driver.get(f"{base}/sign-in")
    field = driver.find_element(By.ID, "key")
    field.clear()
    field.send_keys(key)
    submit(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def texts(driver: WebDriver, css: str) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, css)]
