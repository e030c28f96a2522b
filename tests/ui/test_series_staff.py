"""Series at the desk: staff link visits, see a client's progress, and read
today at a glance. Driven with Pilot, as staff would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.geometry import Region
from textual.widgets import DataTable, Label, OptionList, Static

from kiosk.access.audit import AuditLog
from kiosk.settings import Settings
from kiosk.store.dayfiles.store import CheckInStore
from screens.widgets.charts import BarChart
from tests.support.clock import FIXED_NOW, fake_clock
from tests.support.series import visit
from tests.support.staff import names, open_staff, screen_lines, staff_app, table_rows
from tests.support.visit import tap, wait_for, wait_for_screen


def choose(app, checkin_id: str):
    """Move the table's cursor to a check-in, as arrow keys would."""
    table = app.screen.query_one("#staff-table", DataTable)
    table.move_cursor(row=table.get_row_index(checkin_id))


def chart(app) -> list[tuple[str, float | None, float, str]]:
    """The series chart's bars: label, value, the bar's scale, and the figure."""
    drawn = app.screen.query_one("#series-chart", BarChart)
    return [(label, value, drawn.scale, shown) for label, value, shown in drawn.bars]


def drawn_text(widget) -> str:
    """What a widget draws, whole (wherever its container is scrolled)."""
    width, height = widget.size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


def suggestions(app) -> list[str]:
    choices = app.screen.query_one("#link-choices", OptionList)
    return [str(choices.get_option_at_index(n).prompt).strip()
            for n in range(choices.option_count)]


async def pick(pilot, number: int) -> None:
    """Tap the `number`th earlier visit in the list (0 is the newest)."""
    # Each is three rows high (a blank line either side of its text).
    assert await pilot.click("#link-choices", offset=(4, 3 * number + 2))


def summary(app) -> str:
    """The series' summary line, or "" when no series shows."""
    if not app.screen.query_one("#series").display:
        return ""
    return str(app.screen.query_one("#series-summary", Label).content)


async def test_link_to_earlier_visits_undo_new_series_and_unlink(
    settings: Settings,
) -> None:
    store = CheckInStore(settings.data_dir)
    first = store.add(visit("Ann", "B", 14, 8, follow_up=False))
    second = store.add(visit("Ann", "B", 7, 6))
    store.add(visit("Ann", "C", 5, 2))  # Another Ann: never suggested.
    today = store.add(visit("Ann", "B", 0.01, 3))
    app = staff_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_staff(pilot)
        assert table_rows(app)[0][5] == "Follow-up"
        choose(app, today)
        await pilot.press("k")
        await wait_for(pilot, lambda: app.screen.query_one("#link-panel").display, "the panel")
        shown = suggestions(app)
        assert len(shown) == 2, "only the same first name and initial"
        assert shown[0].startswith("Nov 20, 2026") and "pain 6" in shown[0]
        assert shown[1].startswith("Nov 13, 2026") and "pain 8" in shown[1]
        await pick(pilot, 0)  # 20 Nov: in no series yet, so one starts.
        await wait_for(pilot, lambda: summary(app), "the series")
        assert summary(app) == ("Series since Nov 20, 2026: Pain 6 → 3 over 2 sessions\n"
                                "Pain down 3 points (50%) since session 1: a meaningful "
                                "improvement")

        # Link the first visit too (from its own row, via All).
        await pilot.press("4")
        await wait_for(pilot, lambda: first in app.screen.records, "all history")
        choose(app, first)
        await tap(pilot, "#link")
        await wait_for(pilot, lambda: app.screen.query_one("#link-panel").display, "the panel")
        assert suggestions(app) == [], "nothing earlier than the first visit"
        assert "No earlier check-in has this name." in str(
            app.screen.query_one("#link-text", Static).render())
        await tap(pilot, "#link-panel #unlinked")
        assert "series" not in (store.get(first) or {})
        choose(app, second)
        await pilot.pause()
        await tap(pilot, "#link")
        await wait_for(pilot, lambda: app.screen.query_one("#link-panel").display, "the panel")
        await pick(pilot, 0)  # The 13 Nov visit joins the series.
        await wait_for(pilot, lambda: "Pain 8 → 3 over 3 sessions" in summary(app),
                       "three sessions")
        # Undo puts the first visit back out of the series.
        await pilot.press("u")
        await wait_for(pilot, lambda: "series" not in (store.get(first) or {}), "undone")
        await wait_for(pilot, lambda: summary(app).splitlines()[0]
                       == "Series since Nov 20, 2026: Pain 6 → 3 over 2 sessions", "two again")

        # Unlink, then a new series of its own.
        await tap(pilot, "#unlink")
        await wait_for(pilot, lambda: "series" not in (store.get(second) or {}), "unlinked")
        await wait_for(pilot, lambda: not summary(app), "no series shown")
        await tap(pilot, "#link")
        await wait_for(pilot, lambda: app.screen.query_one("#link-panel").display, "the panel")
        await tap(pilot, "#link-panel #new")
        await wait_for(pilot, lambda: (store.get(second) or {}).get("session") == 1, "new")
        assert store.get(second)["series"] != store.get(today)["series"]
    actions = [entry["action"] for entry in AuditLog(settings.data_dir).entries()]
    assert actions == ["link", "link", "link", "link-undone", "unlink", "link"]


@pytest.mark.parametrize("pains", [[7], [8, 6], [9 - n * 8 // 19 for n in range(20)], [5] * 5])
async def test_the_series_table_and_chart(settings: Settings, pains: list[int]) -> None:
    """1, 2 and 20 sessions, and a series whose pain never changes: the chart
    is on the fixed 0-10 scale, whatever the data."""
    store = CheckInStore(settings.data_dir)
    ids = [store.add(visit("Ann", "B", len(pains) - n - 0.99, pain))
           for n, pain in enumerate(pains)]
    for checkin_id in ids[1:]:
        store.link(checkin_id, to=ids[0])
    if len(ids) == 1:
        store.link(ids[0])
    app = staff_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_staff(pilot)
        await pilot.press("4")
        await wait_for(pilot, lambda: ids[-1] in app.screen.records, "all")
        choose(app, ids[-1])
        await wait_for(pilot, lambda: summary(app) and len(chart(app)) == len(pains),
                       "the chart")
        from kiosk.content.model import Meaningful
        from kiosk.desk.progress import Session, crossed

        marked = crossed([Session(n, "", pain, "", "", "") for n, pain in enumerate(pains, 1)],
                         Meaningful())
        shown_values = [f"{pain}/10" + (" ◆" if n in marked else "")
                        for n, pain in enumerate(pains, 1)]
        bars = chart(app)
        assert [value for _, value, _, _ in bars] == pains
        assert {scale for _, _, scale, _ in bars} == {10}, "never rescaled to the data"
        assert [shown for _, _, _, shown in bars] == shown_values
        table = drawn_text(app.screen.query_one("#series-table", Static)).splitlines()
        assert table[0].split() == ["Session", "Date", "Pain", "Since", "last", "At", "home",
                                    "Status"]
        assert [line.split()[0] for line in table[1:]] == [
            str(n) for n in range(1, len(pains) + 1)]
        assert [int(line.split()[4]) for line in table[1:]] == pains
        count = f"{len(pains)} session" + ("s" if len(pains) > 1 else "")
        expected = (f"Pain {pains[0]} at session 1 ({count} so far)" if len(pains) == 1
                    else f"Pain {pains[0]} → {pains[-1]} over {count}")
        assert summary(app).splitlines()[0].endswith(expected)
        # At 80x24 the pane scrolls to every row, and nothing is cut sideways.
        assert all(len(line) == 80 for line in screen_lines(app))
        drawn = drawn_text(app.screen.query_one("#series-chart", BarChart))
        import re

        assert [re.search(r"(\d+/10(?: ◆)?|no score)\s*$", line)[1]  # type: ignore[index]
                for line in drawn.splitlines()[1:]] == shown_values, drawn
        assert "Pain per session, on the 0–10 scale" in drawn


async def test_erase_a_series_after_a_confirmation_naming_how_many(settings: Settings) -> None:
    store = CheckInStore(settings.data_dir)
    a = store.add(visit("Ann", "B", 3, 6))
    b = store.add(visit("Ann", "B", 0.01, 5))
    other = store.add(visit("Bo", "C", 0.02, 4))
    store.link(b, to=a)
    app = staff_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_staff(pilot)
        choose(app, b)
        await wait_for(pilot, lambda: app.screen.query("#erase-series").first().display,
                       "the erase-series control")
        await tap(pilot, "#erase-series")
        await wait_for_screen(pilot, "choice")
        text = app.screen.query_one("#choice-text", Static).render()
        assert "All 2 check-ins of this series" in str(text)
        await tap(pilot, "#choice-keep")
        assert len(store.all()) == 3
        await tap(pilot, "#erase-series")
        await wait_for_screen(pilot, "choice")
        await tap(pilot, "#choice-erase")
        await wait_for(pilot, lambda: [r["id"] for r in store.all()] == [other], "erased")
        await wait_for(pilot, lambda: names(app) == ["Bo C."], "the table")
    erased = [entry["id"] for entry in AuditLog(settings.data_dir).entries()
              if entry["action"] == "erase"]
    assert sorted(erased) == sorted([a, b])


async def test_today_at_a_glance(settings: Settings) -> None:
    store = CheckInStore(settings.data_dir)
    clock = fake_clock()
    ids = []
    for minutes, follow_up in ((330, False), (320, True), (200, True), (190, False), (20, True)):
        record = visit("Cy", "D", 0, 4, follow_up=follow_up)
        record["created_at"] = (FIXED_NOW - timedelta(minutes=minutes)).isoformat()
        ids.append(store.add(record))
    # Waits of 10, 25 and 40 minutes; one still waiting; one no-show.
    for checkin_id, waited in zip(ids[:3], (10, 25, 40), strict=True):
        record = store.get(checkin_id) or {}
        record["started_at"] = (datetime_of(record) + timedelta(minutes=waited)).isoformat()
        record["status"] = "done"
        store.add(record)
    store.set_status(ids[3], "no_show")
    app = staff_app(settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_staff(pilot)
        await pilot.press("g")
        await wait_for_screen(pilot, "glance")
        await wait_for(pilot, lambda: app.screen.query_one("#glance-arrivals", BarChart).bars,
                       "charts")
        words = str(app.screen.query_one("#glance-words", Static).render())
        assert "5 check-ins today, 3 of them follow-ups; the busiest hour was 09:00 with 2." \
            in words
        assert "Massage: Medical 5 (100%)." in words
        assert "median 25 minutes, longest 40 minutes (3 clients)" in words
        assert "Waiting now: 1 client, the longest for 20 minutes." in words
        bars = [(label, value)
                for label, value, _ in app.screen.query_one("#glance-arrivals", BarChart).bars]
        assert bars == [("09:00", 2), ("10:00", 0), ("11:00", 2), ("12:00", 0), ("13:00", 0),
                        ("14:00", 1)]
        assert all(len(line) == 80 for line in screen_lines(app))
        # Live: a new arrival shows without a key.
        store.add(visit("Di", "E", 0, 1))
        app.screen.poll()
        await wait_for(pilot, lambda: "6 check-ins today" in str(
            app.screen.query_one("#glance-words", Static).render()), "the new arrival")
        await pilot.press("escape")
        await wait_for_screen(pilot, "staff")


def datetime_of(record: dict):
    from datetime import datetime

    return datetime.fromisoformat(record["created_at"])


async def test_a_meaningful_worsening_is_a_desk_flag(settings: Settings) -> None:
    """Pain 4 at session 1, 7 now: up 3 points (75%), past both thresholds."""
    store = CheckInStore(settings.data_dir)
    first = store.add(visit("Ann", "B", 7, 4))
    now = store.add(visit("Ann", "B", 0.01, 7))
    store.link(now, to=first)
    app = staff_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_staff(pilot)
        await wait_for(pilot, lambda: "! Desk" in str(
            app.screen.query_one("#staff-table").get_row(now)[3]), "the flag in the queue")
        choose(app, now)
        await wait_for(pilot, lambda: "meaningful worsening" in summary(app), "the words")
        assert summary(app).splitlines()[1] == (
            "! Desk: Pain up 3 points (75%) since session 1: a meaningful worsening")


async def test_report_writes_the_series_progress_report(settings: Settings) -> None:
    """Report, on a linked check-in: one file in the export folder, 0600,
    audited, said in a notice; an unlinked check-in offers no Report."""
    import stat

    store = CheckInStore(settings.data_dir)
    first = store.add(visit("Ann", "B", 14, 8))
    second = store.add(visit("Ann", "B", 7, 6))
    now = store.add(visit("Ann", "B", 0.01, 3))
    alone = store.add(visit("Bo", "C", 0.02, 4))
    series = store.link(second, to=first)
    store.link(now, to=first)
    app = staff_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_staff(pilot)
        choose(app, alone)
        await wait_for(pilot, lambda: not app.screen.query_one("#report").display,
                       "no Report on an unlinked check-in")
        choose(app, now)
        await wait_for(pilot, lambda: app.screen.query_one("#report").display, "Report")
        await tap(pilot, "#report")
        await wait_for(pilot, lambda: any("Report of 3 sessions saved to" in str(n.message)
                                          for n in app._notifications), "the notice")
    written = list(settings.export_dir.glob(f"report-{series[:8]}-*.html"))
    assert len(written) == 1
    assert stat.S_IMODE(written[0].stat().st_mode) == 0o600
    page = written[0].read_text()
    assert "Pain down 5 points (62%) since session 1: a meaningful improvement" in page
    assert [entry["action"] for entry in AuditLog(settings.data_dir).entries()][-1] == "report"
