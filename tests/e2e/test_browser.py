"""End to end in a real browser: headless Chromium on `kiosk serve`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from kiosk.store.dayfiles.store import CheckInStore
from tests.support.browser import Browser
from tests.support.e2e import tap_through_visit
from tests.support.qrimage import decode, text_to_image
from tests.support.serving import kiosk_serve

pytestmark = [pytest.mark.e2e, pytest.mark.needs("chromium", "chromedriver")]

# Set to a path (tests/screenshots/serve-result.png for the README) to keep the screenshot.
SCREENSHOT_TO = os.environ.get("KIOSK_SCREENSHOT")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`kiosk serve` on a free port; yields its URL and data folder."""
    data_dir = tmp_path / "data"
    with kiosk_serve(data_dir) as url:
        yield url, data_dir


@pytest.fixture
def browser(served: tuple[str, Path]) -> Iterator[Browser]:
    tab = Browser(served[0])
    yield tab
    tab.close()


def test_the_page_asks_nothing_of_any_other_host(browser: Browser) -> None:
    browser.wait_for("First visit")
    assert browser.requested_hosts() == {"127.0.0.1"}


def test_chromium_taps_through_the_visit(
    browser: Browser, served: tuple[str, Path], tmp_path: Path
) -> None:
    _, data_dir = served
    browser.wait_for("First visit")
    screen = tap_through_visit(browser, first="Ines", initial="d", keyboard=True)
    assert "Medical massage" in screen
    url = "https://www.example.com/aftercare/medical"
    assert url in screen
    # The code as drawn, read back as a phone would read it.
    assert decode(text_to_image(browser.lines())) == url
    # And off the browser's own pixels, font and canvas included.
    shot = tmp_path / "result.png"
    browser.driver.save_screenshot(str(shot))
    assert decode(Image.open(shot).convert("L")) == url
    if SCREENSHOT_TO:
        shutil.copyfile(shot, SCREENSHOT_TO)
    [record] = CheckInStore(data_dir).all()
    assert record["answers"]["name"] == {"first": "Ines", "last_initial": "D"}
    assert record["recommendation"]["type"] == "medical"
