"""The front desk's app in Pilot: opened, signed in, seeded, read back."""

from __future__ import annotations

import uuid
from datetime import timedelta

from rich.text import Text
from textual.widgets import DataTable, Label, Static

from kiosk.clock import FakeClock, SystemClock
from kiosk.content.model import load_content
from kiosk.settings import Settings
from kiosk.store.dayfiles.store import CheckInStore
from screens.staff_app import StaffApp
from tests.support.clock import FIXED_NOW, fake_clock
from tests.support.records import checkin
from tests.support.visit import tap, wait_for, wait_for_screen

CONTENT = load_content()


PREGNANT = {"health": ["pregnancy"]}
CAR_ACCIDENT = {"injury": "car_accident", "referral": "yes"}


PIN = "2468"


HOSTILE = [
    "[bold]Bold[/bold]",
    "[@click=app.quit]x[/]",
    "\x1b[2J\x1b[31mRed\x1b]0;title\x07",
    "A" * 10_000,
    "שלום עליכם",
    "Zoë 👩‍⚕️🏳️‍🌈",
    "e\u0301\u0327\u0308",
    "\u202eevil\u202c",
]


def seed(store: CheckInStore) -> dict[str, str]:
    """Four check-ins today (two flagged) and one last month."""
    def add(name: str, minutes: int, **extra: object) -> str:
        # Fixed ids, so snapshots that show them don't change from run to run.
        fixed = str(uuid.uuid5(uuid.NAMESPACE_URL, f"kiosk-test/{name}"))
        return store.add(checkin(name, FIXED_NOW - timedelta(minutes=minutes), id=fixed, **extra))

    return {
        "ann": add("Ann", 50),
        "zoe": add("Zoë", 30, answers=PREGNANT),
        "bo": add("Bo", 10, answers={**PREGNANT, **CAR_ACCIDENT}),
        "cy": add("Cy", 5, status="done"),
        "old": add("Annabel", 40 * 24 * 60),
    }


def staff_app(settings: Settings, *, signed_in: bool = True,
              clock: FakeClock | SystemClock | None = None) -> StaffApp:
    return StaffApp(settings, CONTENT, clock or fake_clock(), signed_in=signed_in)


def table_rows(app: StaffApp) -> list[list[str]]:
    table = app.screen.query_one("#staff-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]


def names(app: StaffApp) -> list[str]:
    return [row[1] for row in table_rows(app)]


def detail(app: StaffApp) -> str:
    """The detail pane's words: the check-in's header, then its answers."""
    parts = []
    for part in ("#staff-detail-text", "#staff-detail-answers"):
        rendered = app.screen.query_one(part, Static).render()
        parts.append(rendered.plain if isinstance(rendered, Text) else str(rendered))
    return "\n".join(part for part in parts if part)


def screen_lines(app) -> list[str]:
    """The screen as drawn: each line's text, as a terminal would show it."""
    return ["".join(segment.text for segment in strip)
            for strip in app.screen._compositor.render_strips()]


async def open_staff(pilot) -> None:
    await wait_for_screen(pilot, "staff")
    await wait_for(pilot, lambda: bool(pilot.app.screen.records), "the queue")


def pin_message(app) -> str:
    return str(app.screen.query_one("#pin-message", Label).render())


async def enter_pin(pilot, pin: str) -> None:
    for digit in pin:
        await tap(pilot, f"#pin-{digit}")
    await tap(pilot, "#pin-ok")


async def tap_clinic_name(pilot, times: int) -> None:
    for _ in range(times):
        await pilot.click("#welcome-clinic")
