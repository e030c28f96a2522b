"""End to end: the real `kiosk` command in tmux at 80x24, driven by taps."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.store.dayfiles.store import CheckInStore
from tests.support.e2e import TAPS, env_for, key, tap_keys, tap_name_and_answers, tap_through_visit  # noqa: F401
from tests.support.qrimage import decode, text_to_image
from tests.support.terminal import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.needs("tmux")]

# The visible label to tap for each answer of a medical, flagged visit.


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path / "tmux.sock")
    yield term
    term.stop()












def test_demo_tapped_through_to_a_readable_qr_and_a_saved_check_in(
    terminal: Terminal, tmp_path: Path
) -> None:
    terminal.start([sys.executable, "-m", "kiosk", "demo"], env_for(tmp_path))
    terminal.wait_for("First visit")
    assert "DEMO" in terminal.text()
    screen = tap_through_visit(terminal)
    assert "Medical massage" in screen
    assert "front desk" in screen

    url = "https://www.example.com/aftercare/medical"
    assert url in screen
    # Read the code off the terminal itself, as a phone would off the glass.
    assert decode(text_to_image(terminal.lines())) == url

    [data_dir] = tmp_path.glob("kiosk-demo-*")
    [record] = CheckInStore(data_dir).all()
    assert record["answers"]["name"] == {"first": "Ann", "last_initial": "B"}
    assert record["answers"]["health"] == ["pregnancy"]
    assert record["recommendation"]["type"] == "medical"
    assert [flag["id"] for flag in record["flags"]] == ["pregnancy", "accident_claim"]

    terminal.tap_until("Done", lambda s: "First visit" in s, "welcome")


def test_a_kiosk_and_the_staff_app_side_by_side(tmp_path: Path) -> None:
    """Two terminals on one data folder: a check-in tapped through on the
    kiosk shows up, flagged, on the staff screen without a key pressed."""
    data_dir = tmp_path / "data"
    env = env_for(tmp_path)
    pin = subprocess.run([sys.executable, "-m", "kiosk", "set-pin", "--data-dir", str(data_dir)],
                         input="2468\n", text=True, capture_output=True, check=True)
    assert "Staff PIN set" in pin.stdout
    kiosk, staff = Terminal(tmp_path / "kiosk.sock"), Terminal(tmp_path / "staff.sock")
    try:
        kiosk.start([sys.executable, "-m", "kiosk", "run", "--data-dir", str(data_dir)], env)
        staff.start([sys.executable, "-m", "kiosk", "staff", "--data-dir", str(data_dir)], env)
        staff.wait_for("Staff PIN")
        staff.type("2468")
        staff.tap_until("OK", lambda s: "Front desk" in s, "the staff screen")
        staff.wait_for("0 today")

        kiosk.wait_for("First visit")
        tap_through_visit(kiosk, first="Maya", initial="r")
        saved = time.monotonic()
        # The row and the count are drawn in the same second, not always
        # in the same frame: wait for both, as a person glancing over would.
        screen = staff.wait_until(lambda s: "Maya R." in s and "1 today" in s,
                                  "the new row and its count")
        print(f"kiosk result screen -> staff row: {time.monotonic() - saved:.2f} s")
        row = next(line for line in screen.splitlines() if "Maya R." in line)  # The table.
        assert "Medical" in row and "⚠ Health ! Desk" in row and "Waiting" in row
        assert "1 today" in screen
        # Staff move her along by tap; the kiosk's record changes with it.
        staff.tap_until("Therapist", lambda s: "With therapist" in s, "the new status")
        [record] = CheckInStore(data_dir).all()
        assert record["status"] == "with_therapist"
    finally:
        kiosk.stop()
        staff.stop()


# The raw bytes a terminal sends for every key a kiosk must shrug off.
LOCKED_KEYS = {
    "ctrl+q": b"\x11", "ctrl+c": b"\x03", "ctrl+p": b"\x10", "ctrl+z": b"\x1a",
    "ctrl+\\": b"\x1c",
    **{f"F{n}": seq for n, seq in enumerate(
        [b"\x1bOP", b"\x1bOQ", b"\x1bOR", b"\x1bOS", b"\x1b[15~", b"\x1b[17~", b"\x1b[18~",
         b"\x1b[19~", b"\x1b[20~", b"\x1b[21~", b"\x1b[23~", b"\x1b[24~"], start=1)},
    "esc": b"\x1b",
}


def shrug_off_every_key(terminal: Terminal) -> None:
    """Every locked key, a text selection by drag and a copy. The caller's
    next tap lands only after all of them (input is handled in order), so
    its effect proves the kiosk kept running on the same screen."""
    for data in LOCKED_KEYS.values():
        terminal.send_bytes(data)
    terminal.drag((3, 3), (60, 3))
    terminal.send_bytes(b"\x03")
    assert terminal.alive()


def test_kiosk_run_is_locked_down_and_tapped_through_by_touch_alone(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    terminal = Terminal(tmp_path / "tmux.sock")
    try:
        terminal.start([sys.executable, "-m", "kiosk", "run", "--data-dir", str(data_dir)],
                       env_for(tmp_path))
        terminal.wait_for("First visit")
        shrug_off_every_key(terminal)
        # Input is handled in order: this tap lands only after every key above.
        terminal.tap_until("First visit", lambda s: "Difference 1 of 6" in s, "walkthrough")
        assert terminal.alive()
        terminal.tap_until("◀ Back", lambda s: "First visit" in s, "back to welcome")

        def mid_visit() -> None:
            shrug_off_every_key(terminal)
            terminal.wait_for("What brings you in today?")

        screen = tap_through_visit(terminal, first="Maya", initial="r", keyboard=True,
                                   between=mid_visit)
        assert "Medical massage" in screen and terminal.alive()
        [record] = CheckInStore(data_dir).all()
        assert record["answers"]["name"] == {"first": "Maya", "last_initial": "R"}
    finally:
        terminal.stop()


def test_a_visit_left_mid_way_is_wiped_after_the_idle_time(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("idle_seconds = 10\nidle_warning_seconds = 5\n")
    terminal = Terminal(tmp_path / "tmux.sock")
    try:
        terminal.start([sys.executable, "-m", "kiosk", "run", "--config", str(config),
                        "--data-dir", str(tmp_path / "data")], env_for(tmp_path))
        terminal.wait_for("First visit")
        terminal.tap_until("First visit", lambda s: "Difference 1 of 6" in s, "walkthrough")
        terminal.tap_until("Skip to check-in", lambda s: "Question 1 of 11" in s, "questions")
        terminal.tap("e.g. Maria")
        tap_keys(terminal, "Quill")
        terminal.wait_for("Quill")
        # Nobody touches it: the question, then the countdown, then Welcome.
        terminal.wait_until(lambda s: "Are you still there?" in s, "the question", limit=30)
        assert "Starting over in" in terminal.text()
        terminal.wait_until(lambda s: "First visit" in s, "welcome", limit=30)
        # The next client finds nothing of it.
        terminal.tap_until("First visit", lambda s: "Difference 1 of 6" in s, "walkthrough")
        screen = terminal.tap_until("Skip to check-in", lambda s: "Question 1 of 11" in s,
                                    "questions")
        assert "Quill" not in screen and "e.g. Maria" in screen
        assert not (tmp_path / "data" / "checkins").exists()
    finally:
        terminal.stop()


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_wipes_the_visit_and_gives_the_terminal_back(
    signame: str, tmp_path: Path
) -> None:
    """Before: `pkill -f "kiosk run"` left the alternate screen and mouse mode
    on, with the last frame (a name on it) still showing, and exit 0 was a
    guess. Now: exit 0, the terminal as it was, nothing of the visit."""
    import shlex
    import signal

    data_dir = tmp_path / "data"
    status_file = tmp_path / "status"
    terminal = Terminal(tmp_path / "tmux.sock")
    try:
        # The shell keeps the kiosk's exit status in a file (tmux does not
        # always record it); the signal goes to the kiosk process itself.
        kiosk = shlex.join([sys.executable, "-m", "kiosk", "run", "--data-dir", str(data_dir)])
        terminal.start(["sh", "-c", f"{kiosk}; echo $? > {shlex.quote(str(status_file))}"],
                       env_for(tmp_path))
        terminal.wait_for("First visit")
        terminal.tap_until("First visit", lambda s: "Difference 1 of 6" in s, "walkthrough")
        if "Question 1 of 11" not in terminal.text():  # (A tap tried twice may skip.)
            terminal.tap_until("Skip to check-in", lambda s: "Question 1 of 11" in s,
                               "questions")
        terminal.tap("e.g. Maria")
        terminal.type("Quillon")
        terminal.wait_for("Quillon")
        shell = terminal._tmux("display-message", "-p", "-t", "kiosk", "#{pane_pid}").strip()
        [pid] = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True,
                               check=True).stdout.split()
        os.kill(int(pid), getattr(signal, signame))
        terminal.wait_until(lambda _screen: status_file.exists() and not terminal.alive(),
                            "its exit")
        assert status_file.read_text().strip() == "0", "exit 0, not killed by the signal"

        def pane(formats: str) -> str:
            return terminal._tmux("display-message", "-p", "-t", "kiosk", formats).strip()

        # Out of the alternate screen; no mouse reports of any kind.
        flags = pane("#{alternate_on} #{mouse_any_flag} #{mouse_button_flag} "
                     "#{mouse_sgr_flag}").split()
        assert flags == ["0", "0", "0", "0"], flags
        assert "Quillon" not in terminal.text()
        assert CheckInStore(data_dir).all() == []
    finally:
        terminal.stop()
