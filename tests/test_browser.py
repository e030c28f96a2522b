"""End to end in a real browser: headless Chromium on `kiosk serve`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from kiosk.store import CheckInStore
from tests.browser import Browser, have_browser
from tests.qrimage import decode, text_to_image
from tests.test_e2e import tap_through_visit

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not have_browser(), reason="needs chromium and chromedriver")]

# Set to a path (tests/screenshots/serve-result.png for the README) to keep the screenshot.
SCREENSHOT_TO = os.environ.get("KIOSK_SCREENSHOT")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`kiosk serve` on a free port; yields its URL and data folder."""
    port, data_dir = free_port(), tmp_path / "data"
    server = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "serve", "--port", str(port), "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    deadline = time.monotonic() + 30
    while True:  # Until it listens.
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            assert time.monotonic() < deadline, "kiosk serve never listened"
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/", data_dir
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def browser(served: tuple[str, Path]) -> Iterator[Browser]:
    tab = Browser(served[0])
    yield tab
    tab.close()


def test_the_page_asks_nothing_of_any_other_host(browser: Browser) -> None:
    browser.wait_for("Tap to start")
    assert browser.requested_hosts() == {"127.0.0.1"}


def test_chromium_taps_through_the_visit(
    browser: Browser, served: tuple[str, Path], tmp_path: Path
) -> None:
    _, data_dir = served
    browser.wait_for("Tap to start")
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
