"""Headless Chromium as a printer: open a file the kiosk wrote, print it to
PDF on a given paper, count the pages."""

from __future__ import annotations

import base64
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.print_page_options import PrintOptions

PAPER = {"A4": (21.0, 29.7), "Letter": (21.59, 27.94)}
"""Width and height, in centimetres."""


@contextmanager
def headless_chromium() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-background-networking"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options,
                              service=Service(shutil.which("chromedriver") or "chromedriver"))
    try:
        yield driver
    finally:
        driver.quit()


def print_to_pdf(driver: webdriver.Chrome, paper: str) -> bytes:
    """The page open in `driver`, printed on `paper` ("A4" or "Letter")."""
    options = PrintOptions()
    options.page_width, options.page_height = PAPER[paper]
    pdf = base64.b64decode(driver.print_page(options))
    assert pdf.startswith(b"%PDF"), pdf[:20]
    return pdf


def pages(pdf: bytes) -> int:
    """How many pages: the page objects, as the page tree counts them."""
    count = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert re.findall(rb"/Count (\d+)", pdf) == [str(count).encode()]
    return count
