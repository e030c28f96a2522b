"""The schedule from the command line and from feeds: `kiosk schedule`,
bad settings, a feed read again in the background, one that fails."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.clock import FakeClock
from kiosk.desk.schedule import Refresher, refresh
from kiosk.schedule.sources import source_from_setting
from kiosk.settings import SettingsError, load_settings
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.clock import FIXED_NOW
from tests.support.schedule import CSV_COLUMNS, Booking, calendar, spreadsheet_csv

TODAY = FIXED_NOW.date()
ICS = calendar([Booking(FIXED_NOW, summary="Ann Brown"),
                Booking(FIXED_NOW + timedelta(hours=1), summary="Bo Chen", practitioner="Sam")])


class Feed:
    """A calendar feed on 127.0.0.1 the test controls."""

    def __init__(self) -> None:
        self.body, self.status = ICS, 200
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(feed.status)
                self.send_header("Content-Length", str(len(feed.body)))
                self.end_headers()
                self.wfile.write(feed.body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/maya.ics?token=s3cret"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def feed() -> Iterator[Feed]:
    started = Feed()
    yield started
    started.server.shutdown()


def test_a_feed_that_fails_keeps_the_last_good_schedule(tmp_path: Path, feed: Feed) -> None:
    store = CheckInStore(tmp_path / "data", FakeClock(FIXED_NOW).now)
    source = source_from_setting({"url": feed.url}, "test", tmp_path)
    assert refresh(store, [source], TODAY) == []
    assert [a.first_name for a in store.appointments(TODAY)] == ["Ann", "Bo"]
    feed.status, feed.body = 503, b"down for maintenance"
    (failed,) = refresh(store, [source], TODAY)
    assert "answered 503" in failed and "s3cret" not in failed
    assert [a.first_name for a in store.appointments(TODAY)] == ["Ann", "Bo"], "kept"
    (state,) = store.schedule_states()
    assert state.failing and state.last_good is not None
    feed.status, feed.body = 200, b"<html>not a calendar</html>"
    refresh(store, [source], TODAY)
    assert len(store.appointments(TODAY)) == 2 and store.schedule_states()[0].failing


def test_feeds_are_read_again_in_the_background(tmp_path: Path, feed: Feed) -> None:
    store = CheckInStore(tmp_path / "data", FakeClock(FIXED_NOW).now)
    source = source_from_setting({"url": feed.url}, "test", tmp_path)
    rounds: list[float] = []
    refresher = Refresher(store, [source], 15, FakeClock(FIXED_NOW).now)

    def sleep(event: threading.Event, seconds: float) -> bool:
        rounds.append(seconds)
        feed.body = calendar([Booking(FIXED_NOW, summary="Cy Diaz")])  # The next read's.
        if len(rounds) == 2:
            event.set()
        return event.is_set()

    refresher.run(sleep=sleep)
    assert rounds == [900.0, 900.0], "every schedule_refresh_minutes"
    assert [a.first_name for a in store.appointments(TODAY)] == ["Cy"]


def test_kiosk_schedule_import_show_and_check(tmp_path: Path, capsys) -> None:
    path = tmp_path / "today.ics"
    path.write_bytes(ICS)
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["schedule", "check", str(path), *data]) == 0
    assert "2 appointment(s), 2026-11-27 to 2026-11-27; 2 with a client's name" in \
        capsys.readouterr().out
    assert main(["schedule", "import", str(path), *data]) == 0
    assert "Imported 2 appointment(s)" in capsys.readouterr().out
    assert main(["schedule", "show", "--date", "2026-11-27", *data]) == 0
    shown = capsys.readouterr().out
    assert "2 appointment(s)" in shown and "Ann B." in shown and "Bo C." in shown


@pytest.mark.parametrize(("data", "said"), [
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Ann Brown\r\nEND:VEVENT\r\n"
     b"END:VCALENDAR\r\n", "event 1 (line 2) has no start"),
    (b"not a calendar at all", "is not an iCalendar file"),
])
def test_a_broken_file_is_one_line_and_exit_2(tmp_path: Path, capsys, data: bytes,
                                              said: str) -> None:
    path = tmp_path / "bad.ics"
    path.write_bytes(data)
    assert main(["schedule", "import", str(path), "--data-dir", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and said in err and "Traceback" not in err
    assert "Ann" not in err


def test_a_csv_missing_a_column_is_one_line(tmp_path: Path, capsys) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(spreadsheet_csv([], {k: v for k, v in CSV_COLUMNS.items()
                                           if k != "end"}))
    config = tmp_path / "kiosk.toml"
    config.write_text('schedule = [{ file = "export.csv", columns = { date = "Date", '
                      'start = "Start", end = "End", practitioner = "Practitioner" } }]\n')
    assert main(["schedule", "import", str(export), "--config", str(config),
                 "--data-dir", str(tmp_path / "d")]) == 2
    assert "has no column 'End'" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "said"), [
    ('schedule = [{ file = "a.ics", url = "https://x/f.ics" }]', "exactly one of 'file' or"),
    ('schedule = [{ file = "a.csv" }]', "needs 'columns'"),
    ('schedule = [{ url = "ftp://x/f.ics" }]', "must start with https://"),
    ('schedule = [{ file = "a.ics", colour = "red" }]', "unknown key 'colour'"),
    ('schedule = [{ file = "a.ics", timezone = "Mars/Olympus" }]', "is not a time zone"),
    ("arrival_window = [60]", "'arrival_window' must be"),
    ('notify_webhook = "mailto:desk@clinic"', "'notify_webhook' must be a URL"),
])
def test_bad_schedule_settings_name_the_file_and_key(tmp_path: Path, text: str,
                                                     said: str) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(text + "\n")
    with pytest.raises(SettingsError, match=said) as raised:
        load_settings(config=config, environ={})
    assert str(config) in str(raised.value)
