"""The end-to-end tests' way of tapping a screen: a control that goes away
between reading the screen and tapping it is not a failure."""

from __future__ import annotations

from tests.support.driven import DrivenScreen


class _Changing(DrivenScreen):
    """A screen that moves on by itself, one read at a time."""

    def __init__(self, screens: list[list[str]]) -> None:
        self.screens = screens
        self.reads = 0
        self.taps: list[tuple[int, int]] = []

    def lines(self) -> list[str]:
        screen = self.screens[min(self.reads, len(self.screens) - 1)]
        self.reads += 1
        return screen

    def tap_cell(self, column: int, row: int) -> None:
        self.taps.append((column, row))


def test_a_control_gone_between_the_read_and_the_tap_is_read_again() -> None:
    """Before: under load (the suite run under strace) the Chromium test
    failed with "'Next ▶' is not on screen": tap_until saw "Next ▶", the page
    moved on to the last question (where it reads "Review ▶") before the tap
    read the screen again, and the tap gave up instead of reading on."""
    question_10 = ["Question 10 of 11", "Next ▶"]
    question_11 = ["Question 11 of 11", "Do you agree?", "Review ▶"]
    screen = _Changing([question_10, question_11])
    shown = screen.tap_until("Next ▶", lambda s: "Question 11 of 11" in s, "question 11")
    assert "Do you agree?" in shown
    assert screen.taps == []


def test_a_control_still_there_is_tapped_on_its_middle() -> None:
    screen = _Changing([["", "   Next ▶"], ["", "   Next ▶"], ["Question 2"]])
    screen.tap_until("Next ▶", lambda s: "Question 2" in s, "question 2")
    assert screen.taps == [(6, 1)]
