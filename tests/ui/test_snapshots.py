"""How each screen looks, at 80x24, 120x40 and 240x70, in each theme
(pytest-textual-snapshot).

After an intended change: `pytest tests/ui/test_snapshots.py --snapshot-update`,
then look at the report before committing the SVGs.
"""

from __future__ import annotations

import pytest

from kiosk.settings import Settings
from screens.app import make_app
from tests.support.clock import fake_clock, fixed_clock
from tests.support.visit import (
    FOLLOWUP_VISIT,
    MEDICAL_VISIT,
    SPA_VISIT,
    jump_to,
    tap,
    wait_for,
    wait_for_screen,
)

SIZES = {"80x24": (80, 24), "120x40": (120, 40), "240x70": (240, 70)}


async def to_question(pilot, question_id: str, visit: dict = MEDICAL_VISIT) -> None:
    # How a page looks, not how it was reached (the taps have tests of their own).
    await jump_to(pilot, visit, stop_at=question_id)


async def to_result(pilot, visit: dict) -> None:
    await to_question(pilot, "review", visit)
    await tap(pilot, "#next")
    await wait_for_screen(pilot, "result")


async def welcome(pilot) -> None:
    await pilot.pause()


async def walkthrough_first(pilot) -> None:
    await tap(pilot, "#start")
    await wait_for_screen(pilot, "walkthrough")


async def walkthrough_last(pilot) -> None:
    await walkthrough_first(pilot)
    for page in range(1, 6):
        await wait_for(pilot, lambda p=page: pilot.app.screen.page == p - 1, f"page {page}")
        await tap(pilot, "#next")
    await wait_for(pilot, lambda: pilot.app.screen.page == 5, "last page")


async def name_with_problem(pilot) -> None:
    await to_question(pilot, "name")
    await tap(pilot, "#first-name")
    await pilot.press("a", "n", "n", "2")
    await tap(pilot, "#next")


async def reasons_picked(pilot) -> None:
    await to_question(pilot, "reasons")
    await tap(pilot, "#choice-reasons-chronic_pain")


async def injury(pilot) -> None:
    await to_question(pilot, "injury")


async def pain_scale(pilot) -> None:
    await to_question(pilot, "pain")
    await tap(pilot, "#choice-pain-7")


async def health_screen(pilot) -> None:
    await to_question(pilot, "health")


async def consent_missing(pilot) -> None:
    await to_question(pilot, "consent")
    await tap(pilot, "#next")


async def review(pilot) -> None:
    await to_question(pilot, "review")


async def result_medical_flagged(pilot) -> None:
    await to_result(pilot, MEDICAL_VISIT)


async def result_spa(pilot) -> None:
    await to_result(pilot, SPA_VISIT)


async def save_failed(pilot) -> None:
    await to_question(pilot, "review")
    pilot.app.store.data_dir.parent.mkdir(parents=True, exist_ok=True)
    pilot.app.store.data_dir.write_text("in the way")
    await tap(pilot, "#next")
    await wait_for(pilot, lambda: pilot.app.screen.id == "save-failed", "dialog")


SCREENS = [
    welcome, walkthrough_first, walkthrough_last, name_with_problem, reasons_picked,
    injury, pain_scale, health_screen, consent_missing, review, result_medical_flagged,
    result_spa, save_failed,
]


async def _settled(pilot, steps) -> None:
    from textual.widgets import Input

    await steps(pilot)
    await pilot.pause()
    # A text field's cursor blinks on a timer: on a busy machine a picture
    # can catch it off. Held on, as most pictures catch it.
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    # Buttons fade their "pressed" look on a timer: wait for it to end.
    await wait_for(pilot, lambda: not pilot.app.screen.query(".-active"), "pressed look")
    # ▲/▼ show once the layout says there is more than fits: on a busy
    # machine that can come a frame after the rest.
    await wait_for(pilot, lambda: _scroll_controls_settled(pilot.app.screen), "▲/▼")


def _scroll_controls_settled(screen) -> bool:
    from textual.containers import ScrollableContainer

    from screens.widgets import ScrollControls

    for controls in screen.query(ScrollControls):
        area = screen.query_one(controls.target, ScrollableContainer)
        if controls.display != (area.max_scroll_y > 0):
            return False
    return not screen._layout_required and not screen._repaint_required


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("steps", SCREENS, ids=[s.__name__ for s in SCREENS])
def test_screen(snap_compare, settings: Settings, steps, size: str) -> None:
    app = make_app(settings, clock=fake_clock())

    async def run_before(pilot) -> None:
        await _settled(pilot, steps)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


# -- Back for another session: each follow-up question, and its result ------------

FOLLOWUP_SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
FOLLOWUP_PAGES = [*FOLLOWUP_VISIT, "review", "result"]


@pytest.mark.parametrize("size", FOLLOWUP_SIZES)
@pytest.mark.parametrize("page", FOLLOWUP_PAGES)
def test_followup_screen(snap_compare, settings: Settings, page: str, size: str) -> None:
    app = make_app(settings, clock=fake_clock())

    async def steps(pilot) -> None:
        await jump_to(pilot, FOLLOWUP_VISIT, stop_at=page, follow_up=True)
        if page == "result":
            await tap(pilot, "#next")
            await wait_for_screen(pilot, "result")

    async def run_before(pilot) -> None:
        await _settled(pilot, steps)

    assert snap_compare(app, terminal_size=FOLLOWUP_SIZES[size], run_before=run_before)


# -- Every client screen in Spanish and in Chinese ------------------------------------


async def still_there(pilot) -> None:
    await to_question(pilot, "pain")
    pilot.app.clock.advance(pilot.app.settings.idle_seconds + 1)
    await pilot.app.reset_if_idle()
    await wait_for(pilot, lambda: bool(pilot.app.screen.query("#still-there-countdown")),
                   "still there?")
    pilot.app.screen.tick()


async def staff_pin_pad(pilot) -> None:
    from kiosk.access.pin import StaffPin

    StaffPin(pilot.app.settings.data_dir).set("2468")
    for _ in range(5):
        await pilot.click("#welcome-clinic")
    await wait_for_screen(pilot, "pin-pad")


async def followup_result(pilot) -> None:
    await jump_to(pilot, FOLLOWUP_VISIT, follow_up=True)
    await tap(pilot, "#next")
    await wait_for_screen(pilot, "result")


async def no_staff_pin(pilot) -> None:
    for _ in range(5):
        await pilot.click("#welcome-clinic")
    await wait_for(pilot, lambda: bool(pilot.app.screen.query("#choice-title")), "the dialog")


async def something_went_wrong(pilot) -> None:
    await to_question(pilot, "pain")
    await pilot.app.recover()  # What an unexpected error leads to.
    await wait_for(pilot, lambda: bool(pilot.app.screen.query("#crash-text")), "the calm word")


LANGUAGE_SCREENS = [*SCREENS, still_there, staff_pin_pad, followup_result, no_staff_pin,
                    something_went_wrong]


@pytest.mark.parametrize("size", FOLLOWUP_SIZES)
@pytest.mark.parametrize("language", ["es", "zh"])
@pytest.mark.parametrize("steps", LANGUAGE_SCREENS, ids=[s.__name__ for s in LANGUAGE_SCREENS])
def test_screen_in_language(snap_compare, settings: Settings, steps, language: str,
                            size: str) -> None:
    """A client who tapped Español or 中文 on Welcome: every screen after."""
    from dataclasses import replace

    app = make_app(replace(settings, languages=("en", "es", "zh")), clock=fake_clock())

    async def in_language(pilot) -> None:
        await tap(pilot, f"#language-{language}")
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#start").label.plain != "First visit",
                       "Welcome in the language")
        await steps(pilot)

    async def run_before(pilot) -> None:
        await _settled(pilot, in_language)

    assert snap_compare(app, terminal_size=FOLLOWUP_SIZES[size], run_before=run_before)


THEMED = [welcome, name_with_problem, health_screen, review, result_medical_flagged]
LOOKS = {
    "light": {"theme": "light"},
    "high_contrast": {"theme": "high-contrast"},
    "large_text": {"text_size": "large"},
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("look", LOOKS)
@pytest.mark.parametrize("steps", THEMED, ids=[s.__name__ for s in THEMED])
def test_screen_look(snap_compare, settings: Settings, steps, look: str, size: str) -> None:
    """The other themes and the large-text layout (dark is test_screen)."""
    from dataclasses import replace

    app = make_app(replace(settings, **LOOKS[look]), clock=fake_clock())

    async def run_before(pilot) -> None:
        await _settled(pilot, steps)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


# -- The front desk ---------------------------------------------------------------


def _staff_app(settings: Settings, *, signed_in: bool = True):
    from kiosk.content.model import load_content
    from screens.staff_app import StaffApp

    return StaffApp(settings, load_content(settings.content_folder), fake_clock(),
                    signed_in=signed_in)


def _seeded(settings: Settings, hostile: bool = False) -> None:
    from kiosk.store.dayfiles.store import CheckInStore
    from tests.support.staff import HOSTILE, seed

    store = CheckInStore(settings.data_dir)
    seed(store)
    if hostile:
        from datetime import timedelta

        from tests.support.clock import FIXED_NOW
        from tests.support.records import checkin

        for n, name in enumerate(HOSTILE):
            record = checkin("X", FIXED_NOW - timedelta(minutes=3 - n / 10),
                             id=f"00000000-0000-4000-8000-00000000000{n}")
            record["answers"]["name"] = {"first": name, "last_initial": "Q"}
            store.add(record)


async def _queue_loaded(pilot) -> None:
    await wait_for_screen(pilot, "staff")
    await wait_for(pilot, lambda: bool(pilot.app.screen.records), "the queue")


async def staff_queue(pilot) -> None:
    await _queue_loaded(pilot)
    await pilot.press("down", "down")  # Bo: both kinds of flag.


async def staff_hostile_names(pilot) -> None:
    from textual.widgets import DataTable

    await _queue_loaded(pilot)
    table = pilot.app.screen.query_one(DataTable)
    table.move_cursor(row=6)  # The escape codes.

    def in_view() -> bool:
        # The table scrolls the cursor into view after its next refresh: wait for it,
        # or the picture depends on which comes first. Rows are one line high.
        row_y = table.header_height + 6
        top = table.scroll_y + table.header_height
        return top <= row_y < table.scroll_y + table.scrollable_content_region.height

    await wait_for(pilot, in_view, "the escape codes' row in view")


async def staff_search(pilot) -> None:
    await _queue_loaded(pilot)
    await pilot.press("slash", "a", "n", "n")
    await wait_for(pilot, lambda: len(pilot.app.screen.records) == 2, "results")


async def staff_erase_confirm(pilot) -> None:
    await _queue_loaded(pilot)
    await pilot.press("x")
    await wait_for_screen(pilot, "choice")


async def staff_audit(pilot) -> None:
    await _queue_loaded(pilot)
    await pilot.press("d")
    await wait_for(pilot, lambda: pilot.app.screen.records and any(
        r["status"] == "done" for r in pilot.app.screen.records.values()
        if r["answers"]["name"]["first"] == "Ann"), "Ann done")
    await pilot.press("l")
    await wait_for_screen(pilot, "audit")


async def staff_pin_wrong(pilot) -> None:
    await wait_for_screen(pilot, "pin-pad")
    for key in "1111":
        await tap(pilot, f"#pin-{key}")
    await tap(pilot, "#pin-ok")
    await wait_for(pilot, lambda: "tries left" in str(
        pilot.app.screen.query_one("#pin-message").render()), "the message")
    await tap(pilot, "#pin-7")


def _series(settings: Settings) -> None:
    """Ann B.: three visits linked into one series (pain 8, 6, 3), the last
    one today; and three arrivals today, two of them seen (each made by a
    kiosk in the clinic's language)."""
    from kiosk.content.model import load_content
    from kiosk.store.dayfiles.store import CheckInStore
    from tests.support.series import visit

    content = load_content(settings.content_folder)
    store = CheckInStore(settings.data_dir, clock=fixed_clock)
    ids = [store.add(visit("Ann", "B", days, pain, follow_up=days < 14,
                           since="better", content=content))
           for days, pain in ((14, 8), (7, 6), (0.01, 3))]
    for checkin_id in ids[1:]:
        store.link(checkin_id, to=ids[0])
    for minutes, status in ((200, "with_therapist"), (120, "done"), (30, "waiting")):
        record = visit("Cy", "D", minutes / 1440, 2, follow_up=False, content=content)
        seen = store.add(record)
        if status != "waiting":
            store.set_status(seen, status)


async def staff_series(pilot) -> None:
    from textual.widgets import DataTable

    await _queue_loaded(pilot)
    table = pilot.app.screen.query_one(DataTable)
    table.move_cursor(row=table.row_count - 1)  # Ann B., back for session 3.
    await wait_for(pilot, lambda: pilot.app.screen.query_one("#series").display and len(
        pilot.app.screen.query_one("#series-chart").bars) == 3, "the series")


async def staff_glance(pilot) -> None:
    await _queue_loaded(pilot)
    await pilot.press("g")
    await wait_for_screen(pilot, "glance")
    await wait_for(pilot, lambda: bool(pilot.app.screen.query_one("#glance-arrivals").bars),
                   "the charts")


STAFF_SCREENS = {
    staff_series: {"seed": _series},
    staff_glance: {"seed": _series},
    staff_queue: {},
    staff_hostile_names: {"hostile": True},
    staff_search: {},
    staff_erase_confirm: {},
    staff_audit: {},
    staff_pin_wrong: {"signed_in": False},
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("steps", STAFF_SCREENS, ids=[s.__name__ for s in STAFF_SCREENS])
def test_staff_screen(snap_compare, settings: Settings, steps, size: str) -> None:
    from kiosk.access.pin import StaffPin

    options = STAFF_SCREENS[steps]
    if "seed" in options:
        options["seed"](settings)
    else:
        _seeded(settings, hostile=options.get("hostile", False))
    StaffPin(settings.data_dir, fixed_clock).set("2468")  # Its audit entry shows.
    app = _staff_app(settings, signed_in=options.get("signed_in", True))

    async def run_before(pilot) -> None:
        await steps(pilot)
        await pilot.pause()
        await wait_for(pilot, lambda: not pilot.app.screen.query(".-active"), "pressed look")

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", ["80x24", "120x40"])
@pytest.mark.parametrize("steps", [staff_series, staff_glance],
                         ids=[s.__name__ for s in (staff_series, staff_glance)])
@pytest.mark.parametrize("language", ["es", "zh"])
def test_the_desk_in_the_clinics_language(snap_compare, settings: Settings, language: str,
                                          steps, size: str) -> None:
    """A clinic whose language is Spanish or Chinese gets its desk in it:
    a series with its chart, and today at a glance."""
    from dataclasses import replace

    settings = replace(settings, language=language)
    _series(settings)
    app = _staff_app(settings)

    async def run_before(pilot) -> None:
        await steps(pilot)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


async def kiosk_staff_menu(pilot) -> None:
    await wait_for(pilot, lambda: bool(pilot.app.screen.query("#welcome-clinic")), "Welcome")
    for _ in range(5):
        await pilot.click("#welcome-clinic")
    await wait_for_screen(pilot, "pin-pad")
    for key in "2468":
        await tap(pilot, f"#pin-{key}")
    await tap(pilot, "#pin-ok")
    await wait_for_screen(pilot, "staff-menu")


@pytest.mark.parametrize("size", SIZES)
def test_kiosk_staff_menu(snap_compare, settings: Settings, size: str) -> None:
    from kiosk.access.pin import StaffPin

    StaffPin(settings.data_dir).set("2468")
    app = make_app(settings, clock=fake_clock())

    async def run_before(pilot) -> None:
        await kiosk_staff_menu(pilot)
        await pilot.pause()
        await wait_for(pilot, lambda: not pilot.app.screen.query(".-active"), "pressed look")

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
