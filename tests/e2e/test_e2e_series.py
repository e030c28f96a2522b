"""End to end, in tmux at 80x24: a client back for another session checks in
by taps alone and the code decodes; at the desk, staff link three visits
(pain 8, 6 and 3) into one series and see "8 → 3", said to be a meaningful
improvement; the export carries it, and the series' progress report prints
to PDF in Chromium."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.i18n import ENGLISH
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.e2e import env_for, open_desk, set_pin, tap_through_followup, words_of
from tests.support.printing import PAPER, headless_chromium, pages, print_to_pdf
from tests.support.qrimage import decode, text_to_image
from tests.support.series import visit
from tests.support.terminal import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.needs("tmux", "chromium", "chromedriver")]


def test_back_for_another_session_by_taps_then_linked_at_the_desk(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = CheckInStore(data_dir)
    # Two earlier visits of the series (a kiosk can only make today's).
    now = datetime.now(UTC)
    for days, pain, follow_up in ((14, 8, False), (7, 6, True)):
        record = visit("Ann", "B", 0, pain, follow_up=follow_up)
        record["created_at"] = (now - timedelta(days=days)).isoformat(timespec="seconds")
        store.add(record)
    env = env_for(tmp_path)
    set_pin(data_dir)

    kiosk = Terminal(tmp_path / "kiosk.sock")
    try:
        kiosk.start([sys.executable, "-m", "kiosk", "run", "--data-dir", str(data_dir)], env)
        kiosk.wait_for("Back for another session")
        screen = tap_through_followup(kiosk)
        url = "https://www.example.com/aftercare/medical#at-home"
        assert url in screen
        assert "Welcome back" in screen
        assert decode(text_to_image(kiosk.lines())) == url
    finally:
        kiosk.stop()
    today = [record for record in store.all() if record.get("visit") == "follow-up"][-1]
    assert today["answers"]["pain"] == 3 and today["answers"]["since_last"] == "better"

    staff = Terminal(tmp_path / "staff.sock")
    try:
        open_desk(staff, data_dir, env)
        staff.wait_for("Follow-up")
        staff.tap("Ann B.")
        # Today's visit: link it to the one a week ago, then that one to the first.
        staff.tap_until("Link to earlier visits", lambda s: "Start a new series" in s, "link")
        week_ago = ENGLISH.day((now - timedelta(days=7)).astimezone().date())
        staff.tap_until(week_ago, lambda s: "Pain 6 → 3 over 2 sessions" in s, "two sessions")
        staff.tap_until("Link to earlier visits", lambda s: "Start a new series" in s, "link")
        two_weeks_ago = ENGLISH.day((now - timedelta(days=14)).astimezone().date())
        screen = staff.tap_until(two_weeks_ago, lambda s: "Pain 8 → 3 over 3 sessions" in s,
                                 "three sessions")
        assert "Series since" in screen
        # The chart: every session's pain against the 0-10 scale, in figures too.
        for _ in range(12):
            screen = staff.text()
            if "8/10" in screen and "3/10" in screen:
                break
            staff.send_bytes(b"\x1b[<65;40;14M")  # The wheel, once, over the detail.
            staff.wait_until(lambda s, before=screen: s != before, "the detail to scroll")
        screen = staff.text()
        assert "8/10" in screen and "6/10" in screen and "3/10" in screen, screen
        # 8 → 3 is 5 points and 62%: past both of rules.toml's thresholds.
        meaningful = "Pain down 5 points (62%) since session 1: a meaningful improvement"
        for _ in range(12):
            if meaningful in words_of(screen):
                break
            staff.send_bytes(b"\x1b[<64;40;14M")  # The wheel, up, over the detail.
            screen = staff.wait_until(lambda s, before=screen: s != before, "the detail to scroll")
        assert meaningful in words_of(screen), screen
    finally:
        staff.stop()

    exported = subprocess.run(
        [sys.executable, "-m", "kiosk", "export", "--format", "csv", "--data-dir", str(data_dir)],
        capture_output=True, text=True, check=True).stdout
    rows = list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))
    series = {row["series"] for row in rows}
    assert len(series) == 1 and "" not in series
    assert [(row["session"], row["pain"], row["visit"]) for row in rows] == [
        ("1", "8 out of 10", "first"), ("2", "6 out of 10", "follow-up"),
        ("3", "3 out of 10", "follow-up")]

    # The report for the client's physician, printed as a browser prints it.
    report = tmp_path / "report.html"
    subprocess.run([sys.executable, "-m", "kiosk", "report", "--series", series.pop(),
                    "--output", str(report), "--data-dir", str(data_dir)],
                   capture_output=True, text=True, check=True)
    with headless_chromium() as chromium:
        chromium.get(report.as_uri())
        text = chromium.find_element("tag name", "body").text
        assert "Ann B." in text and "a meaningful improvement" in text
        for paper in PAPER:
            assert pages(print_to_pdf(chromium, paper)) == 1
