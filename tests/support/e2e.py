"""A visit tapped through the real program in tmux."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.support.terminal import Terminal

TAPS = [
    ("What brings you in today?", ["Chronic pain"]),
    ("injury or an accident", ["Yes, a car accident"]),
    ("Did a physician", ["Yes"]),
    ("focus on?", ["Neck", "Lower back"]),
    ("areas we should avoid", ["No areas to avoid"]),
    ("How much pain", ["7"]),
    ("What pressure", ["Medium"]),
    ("professional massage before", ["Yes, I have"]),
    ("Do any of these apply", ["Pregnancy"]),
    ("agree to receive", ["Yes, I agree to treatment"]),
]


def env_for(tmp_path: Path) -> dict[str, str]:
    return {
        "TMPDIR": str(tmp_path),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }


def key(terminal, label: str) -> str:
    """An on-screen keyboard key as drawn, ▊   a    ▎, at whatever width."""
    pattern = re.compile(rf"▊ +{re.escape(label)} +▎")
    for line in terminal.lines():
        if found := pattern.search(line):
            return found.group(0)
    raise AssertionError(f"no key {label!r} on screen:\n{terminal.text()}")


def tap_keys(terminal, text: str) -> None:
    """Type `text` on the on-screen keyboard, tap by tap, each tap until its
    letter shows in the field (a tap that lands while the field is still
    taking its own tap is lost, as a too-quick finger's would be)."""
    shown = ""
    for char in text.lower():
        shown += char.upper() if not shown or shown[-1] in " -'" else char
        label = key(terminal, char if char != " " else "space")
        terminal.tap_until(label, lambda s, t=shown: f"▊  {t} " in s, f"{shown!r} typed")


def tap_name_and_answers(terminal: Terminal, first: str, initial: str,
                         taps: list[tuple[str, list[str]]], *, keyboard: bool,
                         between=None) -> None:
    """From question 1 (the name) to the review page: the name typed or
    tapped on the on-screen keyboard, then each page's answers picked by
    taps. `between` runs once, on question 2."""
    terminal.tap("e.g. Maria")
    tap_keys(terminal, first) if keyboard else terminal.type(first)
    terminal.wait_for(first)
    terminal.tap("e.g. K")
    tap_keys(terminal, initial) if keyboard else terminal.type(initial)
    total = len(taps) + 1
    label_next = "Next ▶"
    for number, (prompt, labels) in enumerate(taps, start=2):
        terminal.tap_until(label_next, lambda s, n=number, p=prompt:
                           f"Question {n} of {total}" in s and p in s, prompt)
        if number == 2 and between is not None:
            between()
        for label in labels:
            terminal.pick(label)
        label_next = "Review ▶" if number == total else "Next ▶"
    terminal.tap_until(label_next, lambda s: "Please check your answers" in s, "review")


def tap_through_visit(terminal: Terminal, first: str = "Ann", initial: str = "b", *,
                      keyboard: bool = False, between=None) -> str:
    """From Welcome to the result screen by taps; the name typed, or tapped
    on the on-screen keyboard. `between` runs once, on question 2.
    Returns the result screen."""
    terminal.tap_until("First visit", lambda s: "Difference 1 of 6" in s, "walkthrough")
    # Read the whole walkthrough, page by page.
    for page in range(2, 7):
        terminal.tap_until("Next ▶", lambda s, p=page: f"Difference {p} of 6" in s, f"page {page}")
    terminal.tap_until("Start check-in ▶", lambda s: "Question 1 of 11" in s, "questions")

    tap_name_and_answers(terminal, first, initial, TAPS, keyboard=keyboard, between=between)
    assert f"{first} {initial.upper()}." in terminal.text()
    return terminal.tap_until(
        "Check me in ✓", lambda s: "Scan for your aftercare guide" in s, "result"
    )

FOLLOWUP_TAPS = [
    ("How much pain", ["3"]),
    ("Since your last session, how", ["Better"]),
    ("at-home techniques", ["Yes, I did them"]),
    ("Where should we focus", ["Neck"]),
    ("Since your last session, do any", ["None of these"]),
    ("agree to receive", ["Yes, I agree to treatment"]),
]


def tap_through_followup(terminal: Terminal, first: str = "Ann", initial: str = "b") -> str:
    """From Welcome to the result by taps alone (the name on the on-screen
    keyboard); returns the result screen."""
    terminal.tap_until("Back for another session", lambda s: "Question 1 of 7" in s,
                       "the follow-up questions")
    tap_name_and_answers(terminal, first, initial, FOLLOWUP_TAPS, keyboard=True)
    return terminal.tap_until("Check me in ✓", lambda s: "Scan for your at-home guide" in s,
                              "result")


def set_pin(data_dir: Path, pin: str = "2468") -> None:
    """`kiosk set-pin` from a script, as the clinic's IT person would."""
    subprocess.run([sys.executable, "-m", "kiosk", "set-pin", "--data-dir", str(data_dir)],
                   input=f"{pin}\n", text=True, capture_output=True, check=True)


def open_desk(terminal: Terminal, data_dir: Path, env: dict[str, str],
              pin: str = "2468") -> str:
    """`kiosk staff` in `terminal`, signed in with `pin`: its first screen."""
    terminal.start([sys.executable, "-m", "kiosk", "staff", "--data-dir", str(data_dir)], env)
    terminal.wait_for("Staff PIN")
    terminal.type(pin)
    return terminal.tap_until("OK", lambda s: "Front desk" in s, "the staff screen")


def words_of(screen: str) -> str:
    """A screen's words as one line: wrapped lines joined, scroll bars left out."""
    return " ".join(screen.translate({ord(c): " " for c in "▁▂▃▄▅▆▇█"}).split())
