"""The progress report in a real browser: headless Chromium opens the file
`kiosk report` wrote and prints it to PDF, on A4 and on Letter. Twenty
sessions fit one or two pages; a hostile name is text on the page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

from kiosk.cli import main
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.printing import PAPER, headless_chromium, pages, print_to_pdf
from tests.support.series import visit

pytestmark = [pytest.mark.e2e, pytest.mark.needs("chromium", "chromedriver")]

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def chromium() -> Iterator[webdriver.Chrome]:
    with headless_chromium() as driver:
        yield driver


def twenty_sessions(data: Path) -> str:
    """A series of 20 weekly visits, pain easing 9 → 2; its id."""
    store = CheckInStore(data)
    pains = [9, 9, 8, 8, 7, 7, 7, 6, 6, 5, 5, 5, 4, 4, 4, 3, 3, 3, 2, 2]
    ids = [store.add(visit(HOSTILE, "Z", 7 * (20 - n), pain, follow_up=n > 0))
           for n, pain in enumerate(pains)]
    series = store.link(ids[0])
    for checkin_id in ids[1:]:
        store.link(checkin_id, to=ids[0])
    return series


def test_chromium_prints_twenty_sessions_on_one_or_two_pages(
        tmp_path: Path, chromium: webdriver.Chrome) -> None:
    series = twenty_sessions(tmp_path / "data")
    report = tmp_path / "report.html"
    assert main(["report", "--series", series, "--data-dir", str(tmp_path / "data"),
                 "--output", str(report)]) == 0
    chromium.get(report.as_uri())
    # The hostile name is text, and nothing in it ran.
    assert chromium.find_elements(By.TAG_NAME, "img") == []
    assert HOSTILE + " Z." in chromium.find_element(By.TAG_NAME, "body").text
    with pytest.raises(NoAlertPresentException):
        chromium.switch_to.alert.text  # noqa: B018 - reading it is the check.
    assert len(chromium.find_elements(By.CSS_SELECTOR, "tbody tr")) == 20
    assert "a meaningful improvement" in chromium.find_element(By.CLASS_NAME, "change").text
    for paper in PAPER:
        pdf = print_to_pdf(chromium, paper)
        (tmp_path / f"report-{paper}.pdf").write_bytes(pdf)
        assert 1 <= pages(pdf) <= 2, f"{paper}: {pages(pdf)} pages"
