"""Series at the desk with 100,000 check-ins of history: how long the staff
detail takes to show a 20-session series, and the link suggestions, beside
opening a check-in that has no series, in the same run.

    python bench/series.py [--runs 15]

Driven in-process with Pilot at 120x40 on the real staff screen. Each figure
is a median, from the cursor moving to the row (or `k` pressed) until the
screen shows everything it will show:
- plain: a check-in in no series, its detail drawn (the baseline);
- series: a check-in in a 20-session series, its table and all 20 bars drawn;
- suggestions: "Link to earlier visits" for a name with thousands of
  earlier check-ins, the list of the newest 20 drawn. The list is read in
  the background when a check-in is selected, so staff who read its detail
  first find it ready; the same with `k` pressed before that read is done
  is printed too.
Target: series and suggestions each at most 1.2x the baseline. For scale, a
name search over all history is printed too (what neither view may cost).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from store import history, make_checkin

from kiosk.content.model import load_content
from kiosk.settings import load_settings
from kiosk.store.dayfiles.store import CheckInStore

HISTORY = 100_000
SMALL_HISTORY = 1_000
SESSIONS = 20


def seed(folder: Path, size: int = HISTORY) -> dict[str, str]:
    """The history, a 20-session series ending today, and today's queue."""
    chance = random.Random(11)
    now = datetime.now(UTC)
    records = history(chance, size, now)
    today = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    series = []
    for n in range(SESSIONS):
        record = make_checkin(chance, today - timedelta(days=7 * (SESSIONS - 1 - n)) + timedelta(
            hours=9, minutes=n))
        record["answers"]["name"] = {"first": "Zed", "last_initial": "Q"}
        series.append(record)
    plain = make_checkin(chance, today + timedelta(hours=9, minutes=30))
    plain["answers"]["name"] = {"first": "Plain", "last_initial": "P"}
    common = make_checkin(chance, today + timedelta(hours=9, minutes=40))  # "Ann K." and such.
    store = CheckInStore(folder)
    store.import_records([*records, *series, plain, common])
    store.recover()  # Builds the index, as the first start after an upgrade does.
    store.link(series[0]["id"])
    for record in series[1:]:
        store.link(record["id"], to=series[0]["id"])
    return {"plain": plain["id"], "series": series[-1]["id"], "common": common["id"]}


async def measure(folder: Path, ids: dict[str, str], runs: int) -> dict[str, list[float]]:
    from textual.widgets import DataTable, Label, OptionList

    from kiosk.clock import SYSTEM_CLOCK
    from screens.staff_app import StaffApp
    from screens.widgets.charts import BarChart

    settings = load_settings(data_dir=folder, environ={})
    app = StaffApp(settings, load_content(), SYSTEM_CLOCK, signed_in=True)
    times: dict[str, list[float]] = {"plain": [], "series": [], "suggestions": [],
                                     "at once": [], "dialog": []}
    async with app.run_test(size=(120, 40)) as pilot:
        while not getattr(app.screen, "records", None):
            await pilot.pause(0.01)
        screen = app.screen
        expected = len(app.store.suggestions(screen.records[ids["common"]]))
        table = screen.query_one("#staff-table", DataTable)
        view = screen.query_one("#series")
        summary = screen.query_one("#series-summary", Label)
        panel = screen.query_one("#link-panel")
        choices = screen.query_one("#link-choices", OptionList)

        async def until(condition) -> float:
            start = time.perf_counter()
            while not condition():
                if time.perf_counter() - start > 30:
                    raise SystemExit("bench/series.py: the screen never showed what it should")
                await asyncio.sleep(0.0005)  # Let the app run; look again.
            return time.perf_counter() - start

        def shown(checkin_id: str) -> bool:
            record = screen.records.get(checkin_id) or {}
            name = record.get("answers", {}).get("name", {}).get("first", "")
            return screen.selected == checkin_id and name in str(
                screen.query_one("#staff-detail-text").render())

        async def choose(checkin_id: str, done) -> float:
            start = time.perf_counter()
            table.move_cursor(row=table.get_row_index(checkin_id))
            await until(lambda: shown(checkin_id) and done())
            return time.perf_counter() - start

        await pilot.pause(0.5)
        for run in range(runs + 1):  # The first round warms up.
            plain = await choose(ids["plain"], lambda: not view.display)
            series = await choose(ids["series"], lambda: view.display and len(
                view.query_one(BarChart).bars) == SESSIONS and str(
                    summary.content).endswith(f"over {SESSIONS} sessions"))
            suggested = {}
            for ahead in (True, False):
                await choose(ids["common"], lambda: not view.display)
                if ahead:  # Staff read the detail first: the list is read meanwhile.
                    await until(lambda: (screen.series_actions.suggested
                                         or ("",))[0] == ids["common"])
                else:  # `k` at once: the list is read when asked for.
                    screen.series_actions.suggested = None
                start = time.perf_counter()
                screen.action_link()  # What `k` and the Link control do (Pilot's own
                # key press waits for the app to go idle, which would be timed too).
                await until(lambda: panel.display and panel.checkin_id == ids["common"]
                            and choices.option_count == expected)
                suggested[ahead] = time.perf_counter() - start
                await pilot.press("escape")
                await until(lambda: not panel.display)
                await choose(ids["series"], lambda: view.display)  # Away, and back.
            suggestions, at_once = suggested[True], suggested[False]
            start = time.perf_counter()
            screen.action_erase()  # For scale: any dialog, here "Erase this check-in?".
            await until(lambda: app.screen.id == "choice" and app.screen.query("#choice-keep"))
            dialog = time.perf_counter() - start
            await pilot.press("escape")
            await until(lambda: app.screen is screen)
            if run:
                times["dialog"].append(dialog)
                times["plain"].append(plain)
                times["series"].append(series)
                times["suggestions"].append(suggestions)
                times["at once"].append(at_once)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-series-") as name:
        print(f"Seeding {SMALL_HISTORY:,} and {HISTORY:,} check-ins of history, each with a "
              f"{SESSIONS}-session series...", file=sys.stderr)
        small = Path(name) / "small"
        small_times = asyncio.run(measure(small, seed(small, SMALL_HISTORY), args.runs))
        folder = Path(name) / "data"
        ids = seed(folder)
        store = CheckInStore(folder)
        start = time.perf_counter()
        found = len(store.search(text="ann"))
        search = time.perf_counter() - start
        times = asyncio.run(measure(folder, ids, args.runs))
    plain = statistics.median(times["plain"])
    print(f"With {HISTORY:,} check-ins of history, at 120x40:")
    print(f"{'what (median of ' + str(args.runs) + ')':<48}{'ms':>9}{'× plain':>10}")
    print(f"{'open a check-in with no series (baseline)':<48}{plain * 1000:>9.1f}{1:>10.2f}")
    for key, label in (("series", f"open one in a {SESSIONS}-session series"),
                       ("suggestions", "link suggestions (newest 20 of a common name)"),
                       ("at once", "  the same, `k` pressed before the read-ahead"),
                       ("dialog", "for scale: the erase confirmation dialog")):
        figure = statistics.median(times[key])
        print(f"{label:<48}{figure * 1000:>9.1f}{figure / plain:>10.2f}")
    print(f"{'for scale: a name search over all history':<48}{search * 1000:>9.1f}"
          f"{search / plain:>10.2f}   ({found:,} found)")
    print("target: series and suggestions each <= 1.2x the baseline")
    print(f"Growth with history ({SMALL_HISTORY:,} -> {HISTORY:,} check-ins), same run:")
    for key, label in (("plain", "open a check-in with no series"),
                       ("series", f"open one in a {SESSIONS}-session series"),
                       ("suggestions", "link suggestions")):
        before, after = (statistics.median(small_times[key]),
                         statistics.median(times[key]))
        print(f"  {label:<44}{before * 1000:>7.1f} -> {after * 1000:>7.1f} ms"
              f"  ({after / before:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
