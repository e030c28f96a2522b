"""The front desk's view: today's queue, live, with flags; status, export, erase."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, Label, Static

from kiosk.access.audit import AuditLog
from kiosk.checkin.record import STATUSES, client_name, series_of, visit_of
from kiosk.clock import Clock
from kiosk.content.model import Question
from kiosk.desk import actions
from kiosk.desk.rows import arrival, detail_lines, printable, queue_row
from kiosk.files import StoreError
from kiosk.plural import plural
from kiosk.store.contract import EVERY_SITE, LocalStore, Record, SiteStore, SiteView, Store
from screens.link import LinkPanel
from screens.widgets.series import SeriesView

FILTERS = {
    "today": "Today",
    "flagged": "Flagged",
    "waiting": "Waiting",
    "all": "All",
}
KEY_HINTS = ("w t d n status  1-4 filters  / search  k link  u undo  g glance  "
             "e export  x erase  l log")
MOST_SERIES_AHEAD = 20
"""How many of the shown check-ins' series a load reads ahead (newest rows first)."""
MOST_ROWS = 500
"""All history and search show the newest this many; a search narrows it."""
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class View:
    """What the table shows: a filter, or a name search over all history."""

    filter: str = "today"
    search: str = ""
    site: str | None = None
    """With a store of several sites: the one shown (None: every site)."""
    page: int = 0
    """A name search's page: 0 the newest `MOST_ROWS` matches, 1 the next."""

    @property
    def sites(self) -> SiteView:
        """The site argument of every read this view makes."""
        return EVERY_SITE if self.site is None else self.site


@dataclass
class Loaded:
    """One load of the table, from a worker thread."""

    records: list[Record]
    total: int
    problems: str
    series: dict[str, list[Record]] = field(default_factory=dict)
    """The series of linked check-ins shown, read ahead so that opening one
    reads nothing more."""
    version: Any = None
    """The store's version when this load began."""


class StaffScreen(Screen[None]):
    """Check-ins as they arrive; the selected one in full below."""

    CSS_PATH = "staff.tcss"
    """Its layout, loaded when it first shows (not at start-up)."""

    BINDINGS = [
        *(Binding(shown.key, f"set_status('{status}')", shown.button)
          for status, shown in STATUSES.items()),
        Binding("slash", "search", "Search"),
        Binding("e", "export", "Export"),
        Binding("x", "erase", "Erase"),
        Binding("l", "audit", "Audit log"),
        Binding("k", "link", "Link"),
        Binding("u", "undo_link", "Undo link"),
        Binding("g", "glance", "Today at a glance"),
        Binding("s", "site", "Site", show=False),
        Binding("right_square_bracket", "page(1)", "Older matches", show=False),
        Binding("left_square_bracket", "page(-1)", "Newer matches", show=False),
        *(Binding(str(n), f"show('{name}')", show=False) for n, name in enumerate(FILTERS, 1)),
    ]

    class Closed(Message):
        """Staff closed the view (on the kiosk: back to Welcome)."""

    view: reactive[View] = reactive(View, init=False)

    def __init__(
        self,
        store: Store,
        audit: AuditLog,
        questions: Sequence[Question],
        clinic_name: str,
        *,
        export_dir: Path,
        clock: Clock,
        closable: bool = False,
        language: str = "en",
    ) -> None:
        """`language`: the clinic's own; a check-in made in another says so."""
        super().__init__(id="staff")
        self.language = language
        self.store = store
        if isinstance(store, SiteStore):  # Several sites: this one's, to begin with.
            self.set_reactive(StaffScreen.view, View(site=store.site))
        self.audit = audit
        self.questions = questions
        self.clinic_name = clinic_name
        self.export_dir = export_dir
        self.closable = closable
        self.clock = clock
        self.records: dict[str, Record] = {}
        self.selected: str | None = None
        """The chosen check-in's id: keys act on it, wherever its row moves."""
        self.selection_gone = False
        """The chosen check-in left the list: keys do nothing until another is chosen."""
        self._shown_view: View | None = None
        self._seen: tuple[Any, ...] | None = None
        self.undo: actions.LinkChange | None = None
        """The last link or unlink made here, until it is undone."""
        self.series_shown: tuple[str, Any] | None = None
        """The series drawn in the detail, and the store's version it was read at."""
        self.series_ahead: dict[str, list[Record]] = {}
        self.loaded_version: Any = None
        self._shown_total = 0
        """How many check-ins the view shown holds in all (a search: every match)."""
        self.suggested: tuple[str, Any, list[Record]] | None = None
        """Link suggestions read ahead: for which check-in, at which version."""

    # -- Layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="staff-bar"):
            yield Label(f"Front desk · {self.clinic_name}", id="staff-title", markup=False)
            yield Label("", id="staff-count")
        yield Label("", id="staff-problems")
        with Horizontal(id="staff-filters"):
            for name, label in FILTERS.items():
                yield Button(label, id=f"filter-{name}", classes="filter")
            yield Button("Glance", id="glance")
            yield Input(placeholder="Search all history by name", id="staff-search")
        table: DataTable[Text] = DataTable(id="staff-table", cursor_type="row", zebra_stripes=True)
        table.add_column("Time", key="time")
        table.add_column("Name", key="name")
        table.add_column("Massage", key="type")
        table.add_column("Flags", key="flags")
        table.add_column("Status", key="status")
        table.add_column("Visit", key="visit")
        yield table
        with VerticalScroll(id="staff-detail"):
            yield Static("", id="staff-detail-text")
            with Horizontal(id="series-actions"):
                yield Button("Link to earlier visits", id="link", compact=True)
                yield Button("Unlink", id="unlink", compact=True)
                yield Button("Undo", id="undo-link", compact=True)
                yield Button("Erase series", id="erase-series", compact=True, variant="error")
            yield SeriesView()
            yield Static("", id="staff-detail-answers")
        # The link panel is made when first needed: its list would cost the
        # queue's first paint 60 ms (measured), for a panel most days never open.
        with Horizontal(id="staff-actions"):
            for status, shown in STATUSES.items():
                yield Button(shown.button, id=f"status-{status}", classes="status")
            yield Button("Export", id="export")
            yield Button("Erase", id="erase", variant="error")
            yield Button("Log", id="audit")
            if self.closable:
                yield Button("Close", id="close", variant="primary")
        # A plain line, not Textual's Footer: it draws in a fraction of the time
        # (45 ms of the queue's first appearance, measured by bench/staff.py).
        hints = KEY_HINTS + ("  s site" if isinstance(self.store, SiteStore) else "")
        yield Label(hints, id="staff-keys", markup=False)

    def on_mount(self) -> None:
        # Today's queue is read here, before the first paint, so staff never
        # see an empty table flash: it is a day file or two (2 ms with a year
        # of history). Every later load runs in a worker.
        self._seen = (self.store.version(), self._today(), self.view)
        loaded = self._query(self.view, self._today(), ahead=False)
        self._show(self.view, loaded)
        self._read_ahead(loaded.records, loaded.version)  # Series: after the paint.
        self.watch_view(self.view)
        self.query_one("#staff-table", DataTable).focus()
        self.set_interval(POLL_SECONDS, self.poll)

    # -- Loading, live ------------------------------------------------------------

    def _today(self) -> date:
        return self.clock.now().astimezone().date()

    def poll(self) -> None:
        """Reload when the store, the day or the view changed: one or two stats.
        Runs twice a second (tests call it by hand)."""
        seen = (self.store.version(), self._today(), self.view)
        if seen != self._seen:
            self._seen = seen
            self._load(self.view, self._today())

    def watch_view(self, view: View) -> None:
        for name, label in FILTERS.items():
            active = name == view.filter and not view.search
            button = self.query_one(f"#filter-{name}", Button)
            button.set_class(active, "-active-filter")
            # Marked in words too, not by colour alone.
            button.label = f"● {label}" if active else label
        self.poll()

    @work(thread=True, exclusive=True, group="load")
    def _load(self, view: View, today: date) -> None:
        loaded = self._query(view, today)
        self.app.call_from_thread(self._show, view, loaded)

    def _query(self, view: View, today: date, *, ahead: bool = True) -> Loaded:
        """The check-ins a view shows, and any trouble with the store."""
        store, site = self.store, view.sites
        version = store.version()
        series: dict[str, list[Record]] = {}
        total: int | None = None
        try:
            if view.search:
                # A page of the newest matches, from the name index.
                found, total = store.find_names(view.search, limit=MOST_ROWS,
                                                offset=view.page * MOST_ROWS, site=site)
            elif view.filter == "flagged":
                found = store.search(since=today, until=today, flagged=True, site=site)
            elif view.filter == "waiting":
                found = store.search(since=today, until=today, status="waiting", site=site)
            elif view.filter == "all":
                found = store.all(site=site)[::-1]
            else:
                found = store.search(since=today, until=today, site=site)
            problems = []
            if skipped := store.skipped():
                problems.append(f"{skipped} damaged check-in(s) not shown")
            if isinstance(store, LocalStore):
                if aside := store.damaged_count():
                    problems.insert(0, f"{aside} damaged file(s) moved aside")
                if held := store.held_in_memory():
                    problems.append(f"{held} check-in(s) held only in this kiosk's memory")
                if pending := store.pending_count():
                    problems.append(f"{pending} check-in(s) waiting after a failed save")
            note = "⚠ " + "; ".join(problems) + ": run `kiosk doctor`" if problems else ""
        except StoreError as error:
            found, note = [], f"⚠ {error}"
        # Lists newest first keep their head; today's queue, in arrival order,
        # keeps its tail: on a day of thousands, the newest arrivals show.
        newest_last = not (view.search or view.filter == "all")
        shown = found[-MOST_ROWS:] if newest_last else found[:MOST_ROWS]
        if ahead:
            series = self._series_of(shown[::-1] if newest_last else shown)
        return Loaded(shown, len(found) if total is None else total, note, series, version)

    def _series_of(self, records: list[Record]) -> dict[str, list[Record]]:
        """The series of the first linked check-ins (at most MOST_SERIES_AHEAD),
        read ahead so that opening one reads nothing more."""
        series: dict[str, list[Record]] = {}
        for record in records:
            linked = series_of(record)
            if linked is None or linked[0] in series:
                continue
            if len(series) >= MOST_SERIES_AHEAD:
                break
            try:
                series[linked[0]] = self.store.series(linked[0])
            except StoreError:
                break  # Read when opened instead; the load's note says why.
        return series

    @work(thread=True, exclusive=True, group="ahead")
    def _read_ahead(self, records: list[Record], version: Any) -> None:
        series = self._series_of(records[::-1])
        self.app.call_from_thread(self._got_ahead, series, version)

    def _got_ahead(self, series: dict[str, list[Record]], version: Any) -> None:
        if version == self.loaded_version:  # Not overtaken by a later load.
            self.series_ahead = series

    def _show(self, view: View, loaded: Loaded) -> None:
        if view != self.view:
            return  # A newer load is on its way.
        try:
            table = self.query_one("#staff-table", DataTable)
        except NoMatches:
            return  # The desk is closing: a load that finished meanwhile has nowhere to go.
        selected = self.selected
        self.records = {record["id"]: record for record in loaded.records}
        self.series_ahead, self.loaded_version = loaded.series, loaded.version
        today = self._today()
        # Rebuilding the table moves its cursor: that is not staff choosing.
        with table.prevent(DataTable.RowHighlighted):
            table.clear()
            for record in loaded.records:
                row = queue_row(record, today)
                table.add_row(
                    Text(row.arrived), Text(row.name), Text(row.type),
                    Text(row.flags, style="bold" if row.flags else ""), Text(row.status),
                    Text(row.visit), key=row.id,
                )
            if selected in self.records:
                table.move_cursor(row=table.get_row_index(selected), animate=False)
        if view != self._shown_view:
            self.selection_gone = False  # A new list: its first row is chosen.
        if selected is not None and selected not in self.records and view == self._shown_view:
            # Erased, or moved out of this view, at another desk: no key may
            # now act on whichever client the cursor happens to rest on.
            self.selected, self.selection_gone = None, True
        elif selected not in self.records and not self.selection_gone:
            self.selected = loaded.records[0]["id"] if loaded.records else None
        self._shown_view = view
        chosen = self.records.get(self.selected or "")
        ahead = self.suggested
        if chosen is not None and (ahead is None or ahead[:2] != (chosen["id"], loaded.version)):
            self._suggest(chosen, loaded.version, view.sites)  # Read ahead, for "Link".
        shown, self._shown_total = len(loaded.records), loaded.total
        what = f"“{printable(view.search, 30)}”" if view.search else FILTERS[view.filter].lower()
        first = view.page * MOST_ROWS
        if view.search and first:
            count = f"{first + 1:,}–{first + shown:,} of {loaded.total:,} {what} · [ newer"
            if first + shown < loaded.total:
                count += " · ] older"
        elif shown == loaded.total:
            count = f"{shown:,} {what}"
        else:
            count = f"newest {shown:,} of {loaded.total:,} {what}"
            if view.search:
                count += " · ] older"
        if isinstance(self.store, SiteStore):
            # A site's name comes from the database: shown as text, printable.
            count += f" · {printable(view.site, 40)}" if view.site is not None else " · all sites"
        self.query_one("#staff-count", Label).update(Text(count))
        problems = self.query_one("#staff-problems", Label)
        problems.update(Text(loaded.problems))
        problems.display = bool(loaded.problems)
        self._show_detail()

    # -- The selected check-in ------------------------------------------------------

    def selected_id(self) -> str | None:
        """The check-in staff chose (by its id, not by its row), if any."""
        return self.selected

    @on(DataTable.RowHighlighted)
    @on(DataTable.RowSelected)  # A tap or Enter on the row the cursor rests on.
    def _highlighted(self, event: DataTable.RowHighlighted | DataTable.RowSelected) -> None:
        self.selected, self.selection_gone = event.row_key.value, False
        self._show_detail()
        record = self.records.get(self.selected or "")
        if record is not None and not self._linking():
            self._suggest(record, self.loaded_version, self.view.sites)

    def _show_detail(self) -> None:
        record = self.records.get(self.selected_id() or "")
        detail = self.query_one("#staff-detail-text", Static)
        self._show_series_actions(record)
        if self.selection_gone or record is None:
            self.query_one("#staff-detail-answers", Static).update("")
            self.series_shown = None
            self.query_one(SeriesView).display = False
        if self.selection_gone:
            detail.update("The check-in you had selected is gone from this list: erased, or "
                          "moved on at another desk. Choose one to go on.")
            return
        if record is None:
            detail.update("Nothing to show: no check-ins here yet.")
            return
        text = Text()
        text.append(printable(client_name(record)) or "(no name)", style="bold")
        text.append(f"  arrived {arrival(record, self._today())}")
        text.append(f"  · {queue_row(record, self._today()).status}")
        if visit_of(record) == "follow-up":
            text.append("  · Follow-up")
        recommendation = record.get("recommendation") or {}
        text.append(f"\nRecommended: {printable(recommendation.get('name', ''))}. ")
        text.append(printable(recommendation.get("why", "")))
        detail.update(text)
        answers = Text()
        for line in detail_lines(record, self.questions, self.language):
            if line.flag:
                answers.append(f"{line.flag}\n", style="bold")
            answers.append(f"{line.label}: ", style="bold" if line.flag else "dim")
            answers.append(line.answer + "\n")
        self.query_one("#staff-detail-answers", Static).update(answers)
        linked = series_of(record)
        if linked is None:
            self.series_shown = None
            self.query_one(SeriesView).display = False
        elif self.series_shown != (linked[0], self.loaded_version):
            view = self.query_one(SeriesView)
            self.series_shown = (linked[0], self.loaded_version)
            ahead = self.series_ahead.get(linked[0])
            if ahead is not None:
                view.show(ahead, self.questions)
                view.display = bool(ahead)
            else:
                view.display = False  # Never another client's series while it loads.
                self._load_series(linked[0])

    def _show_series_actions(self, record: Record | None) -> None:
        linked = series_of(record) if record is not None and not self.selection_gone else None
        self.query_one("#link").display = record is not None and not self.selection_gone
        self.query_one("#unlink").display = linked is not None
        self.query_one("#erase-series").display = linked is not None
        self.query_one("#undo-link").display = self.undo is not None

    @work(thread=True, exclusive=True, group="series")
    def _load_series(self, series_id: str) -> None:
        try:
            records = self.store.series(series_id)
        except StoreError as error:
            self._tell(str(error), error=True)
            return
        self.app.call_from_thread(self._show_series, series_id, records)

    def _show_series(self, series_id: str, records: list[Record]) -> None:
        if self.series_shown is None or self.series_shown[0] != series_id:
            return  # Another check-in was chosen meanwhile.
        view = self.query_one(SeriesView)
        view.show(records, self.questions)
        view.display = bool(records)

    # -- Actions --------------------------------------------------------------------

    @on(Button.Pressed, ".filter")
    def _filter_pressed(self, event: Button.Pressed) -> None:
        self.action_show((event.button.id or "").removeprefix("filter-"))

    def action_site(self) -> None:
        """The next site: this machine's own, then every site, then each other one."""
        if isinstance(self.store, SiteStore):
            self._next_site(self.store)

    @work(thread=True, exclusive=True, group="site")
    def _next_site(self, store: SiteStore) -> None:
        # Which sites there are is a query: off the UI thread.
        try:
            others = [site for site in store.sites() if site != store.site]
        except StoreError:
            others = []
        self.app.call_from_thread(self._show_site, [store.site, None, *others])

    def _show_site(self, choices: list[str | None]) -> None:
        at = choices.index(self.view.site) if self.view.site in choices else -1
        self.view = View(filter=self.view.filter, search=self.view.search,
                         site=choices[(at + 1) % len(choices)])

    def action_page(self, step: int) -> None:
        """A name search's next page of older matches (1) or newer ones (-1)."""
        view = self.view
        last = max(0, (self._shown_total - 1) // MOST_ROWS)
        page = min(max(view.page + step, 0), last)
        if view.search and page != view.page:
            self.view = View(filter=view.filter, search=view.search, site=view.site, page=page)

    def action_show(self, name: str) -> None:
        self.query_one("#staff-search", Input).value = ""
        self.view = View(filter=name, site=self.view.site)

    @on(Input.Changed, "#staff-search")
    def _search(self, event: Input.Changed) -> None:
        self.view = View(filter=self.view.filter, search=event.value.strip(),
                         site=self.view.site)

    @on(Input.Submitted, "#staff-search")
    def _search_done(self) -> None:
        self.query_one("#staff-table", DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#staff-search", Input).focus()

    @on(Button.Pressed, ".status")
    def _status_pressed(self, event: Button.Pressed) -> None:
        self.action_set_status((event.button.id or "").removeprefix("status-"))

    def action_set_status(self, status: str) -> None:
        checkin_id = self.selected_id()
        if checkin_id:
            self._change_status(checkin_id, status)

    @work(thread=True, group="change")
    def _change_status(self, checkin_id: str, status: str) -> None:
        try:
            changed = actions.set_status(self.store, self.audit, checkin_id, status)
        except (StoreError, OSError) as error:
            self._tell(str(error), error=True)
            return
        if not changed:
            self._tell("That check-in was erased meanwhile.")
        self.app.call_from_thread(self.poll)

    def _tell(self, message: str, *, error: bool = False) -> None:
        """A notice from a worker thread. Never markup: it may hold a path
        (a folder named "[x]" is text) or an error's words."""
        self.app.call_from_thread(self.notify, message, markup=False,
                                  severity="error" if error else "information")

    @on(Button.Pressed, "#erase")
    def action_erase(self) -> None:
        from screens.dialogs.choice import ChoiceScreen

        checkin_id = self.selected_id()
        record = self.records.get(checkin_id or "")
        if record is None:
            return
        who = printable(client_name(record), 40) or "(no name)"
        text = (f"{who}, arrived {arrival(record, self._today())}. "
                "Everything they answered is erased for good.")

        def erase(choice: str | None) -> None:
            if choice == "erase" and checkin_id:
                self._erase(checkin_id)

        self.app.push_screen(ChoiceScreen("Erase this check-in?", text, [
            ("keep", "Keep it", "primary"), ("erase", "Erase", "error")]), erase)

    @work(thread=True, group="change")
    def _erase(self, checkin_id: str) -> None:
        try:
            if actions.erase(self.store, self.audit, checkin_id):
                self._tell("Check-in erased.")
        except (StoreError, OSError) as error:
            self._tell(str(error), error=True)
        self.app.call_from_thread(self.poll)

    # -- Series -------------------------------------------------------------------

    @on(Button.Pressed, "#link")
    def action_link(self) -> None:
        record = self.records.get(self.selected_id() or "")
        if record is None or self.selection_gone:
            return
        ahead = self.suggested
        if ahead is not None and ahead[0] == record["id"] and ahead[1] == self.loaded_version:
            self._offer_link(record, ahead[2])  # Read while it was selected.
        else:
            self._suggest(record, self.loaded_version, self.view.sites, offer=True)

    @work(thread=True, exclusive=True, group="suggest")
    def _suggest(self, record: Record, version: Any, site: SiteView,
                 offer: bool = False) -> None:
        """The earlier visits a check-in may be linked to, read ahead when it
        is selected (so the list shows at once), or now when asked for."""
        try:
            earlier = self.store.suggestions(record, site=site)
        except StoreError as error:
            if offer:
                self._tell(str(error), error=True)
            return
        self.app.call_from_thread(self._got_suggestions, record, version, earlier, offer)

    def _got_suggestions(self, record: Record, version: Any, earlier: list[Record],
                         offer: bool) -> None:
        self.suggested = (str(record["id"]), version, earlier)
        if offer:
            self._offer_link(record, earlier)

    def _linking(self) -> bool:
        """Whether the link panel is open."""
        panels = self.query(LinkPanel)
        return bool(panels) and bool(panels.first().display)

    def _offer_link(self, record: Record, earlier: list[Record]) -> None:
        self.call_later(self._open_link_panel, record, earlier)

    async def _open_link_panel(self, record: Record, earlier: list[Record]) -> None:
        panels = self.query(LinkPanel)
        if panels:
            panel = panels.first()
        else:
            panel = LinkPanel()
            await self.mount(panel, after="#staff-detail")
        # The panel takes the table's room too: it names the check-in itself.
        for part in ("#staff-detail", "#staff-table"):
            self.query_one(part).display = False
        panel.offer(record, earlier, self._today())

    @on(LinkPanel.Chosen)
    def _link_chosen(self, event: LinkPanel.Chosen) -> None:
        for part in ("#staff-detail", "#staff-table"):
            self.query_one(part).display = True
        self.query_one("#staff-table", DataTable).focus()
        if event.choice is not None:
            self._link(event.checkin_id, None if event.choice == "new" else event.choice)

    @work(thread=True, exclusive=True, group="change")
    def _link(self, checkin_id: str, to: str | None) -> None:
        try:
            change = (actions.join(self.store, self.audit, checkin_id, to) if to else
                      actions.link(self.store, self.audit, checkin_id))
        except StoreError as error:
            self._tell(str(error), error=True)
            return
        self.app.call_from_thread(self._set_undo, change)
        self._tell("Linked. Press u or Undo to take it back." if to else
                   "Started a new series. Press u or Undo to take it back.")
        self.app.call_from_thread(self.poll)

    @on(Button.Pressed, "#unlink")
    def action_unlink(self) -> None:
        checkin_id = self.selected_id()
        if checkin_id and not self.selection_gone:
            self._unlink(checkin_id)

    @work(thread=True, exclusive=True, group="change")
    def _unlink(self, checkin_id: str) -> None:
        try:
            change = actions.unlink(self.store, self.audit, checkin_id)
        except StoreError as error:
            self._tell(str(error), error=True)
            return
        if change is not None:
            self.app.call_from_thread(self._set_undo, change)
            self._tell("Taken out of its series. Press u or Undo to put it back.")
        self.app.call_from_thread(self.poll)

    def _set_undo(self, change: actions.LinkChange | None) -> None:
        """What Undo takes back (set on the UI thread, by the workers' hand-back)."""
        self.undo = change

    @on(Button.Pressed, "#undo-link")
    def action_undo_link(self) -> None:
        if self.undo is not None:
            change, self.undo = self.undo, None
            self._undo(change)

    @work(thread=True, exclusive=True, group="change")
    def _undo(self, change: actions.LinkChange) -> None:
        try:
            actions.undo_link(self.store, self.audit, change)
        except StoreError as error:
            self._tell(str(error), error=True)
            return
        self._tell("Undone: the link is as it was.")
        self.app.call_from_thread(self.poll)

    @on(Button.Pressed, "#erase-series")
    def action_erase_series(self) -> None:
        record = self.records.get(self.selected_id() or "")
        linked = series_of(record) if record is not None else None
        if linked is not None:
            self._ask_erase_series(linked[0])

    @work(thread=True, exclusive=True, group="change")
    def _ask_erase_series(self, series_id: str) -> None:
        try:
            count = len(self.store.series(series_id))
        except StoreError as error:
            self._tell(str(error), error=True)
            return
        self.app.call_from_thread(self._confirm_erase_series, series_id, count)

    def _confirm_erase_series(self, series_id: str, count: int) -> None:
        from screens.dialogs.choice import ChoiceScreen

        def erase(choice: str | None) -> None:
            if choice == "erase":
                self._erase_series(series_id)

        self.app.push_screen(ChoiceScreen(
            "Erase this client's series?",
            f"All {plural(count)} of this series are erased for good, with everything "
            "the client answered at each visit.",
            [("keep", "Keep them", "primary"), ("erase", f"Erase {count}", "error")]), erase)

    @work(thread=True, exclusive=True, group="change")
    def _erase_series(self, series_id: str) -> None:
        try:
            erased = actions.erase_series(self.store, self.audit, series_id)
        except (StoreError, OSError) as error:
            self._tell(str(error), error=True)
            return
        self.app.call_from_thread(self._set_undo, None)
        self._tell(f"Erased {plural(erased)}.")
        self.app.call_from_thread(self.poll)

    @on(Button.Pressed, "#glance")
    def action_glance(self) -> None:
        from screens.glance import GlanceScreen

        self.app.push_screen(GlanceScreen(self.store, self.clock))

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        from screens.dialogs.choice import ChoiceScreen

        shown = list(self.records.values())
        if not shown:
            self.notify("Nothing to export in this view.")
            return

        def export(choice: str | None) -> None:
            if choice in ("csv", "json"):
                self._export(shown, choice)

        self.app.push_screen(ChoiceScreen(
            f"Export {plural(len(shown))}",
            f"The check-ins shown now go to a file in {self.export_dir}.",
            [("csv", "CSV", "primary"), ("json", "JSON", "default"),
             ("cancel", "Cancel", "default")]), export)

    @work(thread=True, group="change")
    def _export(self, records: list[Record], kind: actions.ExportFormat) -> None:
        stamp = self.clock.now().astimezone().strftime("%Y%m%d-%H%M%S")
        path = self.export_dir / f"checkins-{stamp}.{kind}"
        try:
            self.export_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            actions.export_to_file(records, self.questions, kind, path, self.audit)
        except OSError as error:
            self._tell(f"Could not export: {error.strerror}", error=True)
            return
        self._tell(f"Saved {len(records)} to {path}")

    @on(Button.Pressed, "#audit")
    def action_audit(self) -> None:
        from screens.audit import AuditScreen

        self.app.push_screen(AuditScreen(self.audit))

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.post_message(self.Closed())
