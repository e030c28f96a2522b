"""The front desk's queue: today's check-ins, live, with flags; the chosen
one in full below; status, export, erase."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, DataTable, Input, Label

from kiosk.access.audit import AuditLog
from kiosk.checkin.record import STATUSES, series_of
from kiosk.clock import Clock
from kiosk.content.model import Meaningful, Question
from kiosk.desk.fhir import FhirContext
from kiosk.desk.progress import worse_ids
from kiosk.desk.queue import (
    FILTERS,
    Loaded,
    Selection,
    View,
    count_line,
    load,
)
from kiosk.desk.report import ReportSetup
from kiosk.desk.schedule import DeskSchedule
from kiosk.i18n import ENGLISH, N_, Words, words
from kiosk.store.contract import Record, SiteStore, Store
from screens.desk.actions_bar import ActionBar
from screens.desk.bookings import DeskBookings
from screens.desk.detail import CheckInDetail
from screens.desk.filters import FilterBar
from screens.desk.link import LinkPanel
from screens.desk.series_actions import SeriesActions
from screens.desk.table import QueueTable

KEY_HINTS = (N_("w t d n status"), N_("1-4 filters"), N_("/ search"), N_("k link"),
             N_("u undo"), N_("g glance"), N_("e export"), N_("x erase"), N_("l log"))
POLL_SECONDS = 0.5


def key_hints(sites: bool, schedule: bool, words: Words = ENGLISH) -> tuple[str, ...]:
    """The keys, each with what it does."""
    hints = KEY_HINTS + ((N_("s site"),) if sites else ()) + (
        (N_("5 expected"), N_("p practitioner")) if schedule else ())
    return tuple(words._(hint) for hint in hints)


class KeyHints(Label):
    """The keys on plain lines, not Textual's Footer (which costs 45 ms of the
    queue's first appearance, measured by bench/staff.py): as many lines as
    the width needs, a key never parted from what it does."""

    def __init__(self, hints: tuple[str, ...]) -> None:
        super().__init__("  ".join(hints), id="staff-keys", markup=False)
        self.hints = hints

    def on_resize(self, event: events.Resize) -> None:
        self.update("\n".join(pack(self.hints, event.size.width - 2)))


def pack(hints: tuple[str, ...], width: int) -> list[str]:
    """The hints, two spaces apart, in lines of at most `width` cells."""
    lines: list[str] = []
    for hint in hints:
        if lines and len(lines[-1]) + 2 + len(hint) <= width:
            lines[-1] += "  " + hint
        else:
            lines.append(hint)
    return lines


class StaffScreen(DeskBookings):
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
        Binding("5", "expected", "Expected", show=False),
        Binding("p", "practitioner", "Practitioner", show=False),
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
        schedule: DeskSchedule | None = None,
        meaningful: Meaningful | None = None,
        fhir: FhirContext | None = None,
    ) -> None:
        """`language`: the clinic's own; a check-in made in another says so.
        `schedule`: the clinic's bookings settings (None: no bookings shown)."""
        super().__init__(id="staff")
        self.schedule = schedule
        self.meaningful = meaningful  # When a change in pain over a series matters.
        self.fhir = fhir  # The FHIR export's questions and canonical base.
        self.language = language
        self.words = words(language)
        """The desk's words: the clinic's own language."""
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
        self.selection = Selection()
        self._shown_view: View | None = None
        self._seen: tuple[Any, ...] | None = None
        self.loaded_version: Any = None
        self._shown_total = 0
        """How many check-ins the view shown holds in all (a search: every match)."""

    # -- Layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="staff-bar"):
            yield Label(self.words._("Front desk · {clinic}", clinic=self.clinic_name),
                        id="staff-title", markup=False)
            yield Label("", id="staff-count")
        yield Label("", id="staff-problems")
        yield FilterBar(expected=self.schedule is not None, words=self.words)
        yield QueueTable(bookings=self.schedule is not None, words=self.words)
        report = None if self.meaningful is None else (ReportSetup(
            self.questions, self.meaningful, self.clinic_name, self.language, self.export_dir),
            self.clock)
        yield CheckInDetail(self.store, self.audit, self.questions, self.language,
                            bookings=self.schedule is not None, meaningful=self.meaningful,
                            report=report, words=self.words)
        # The link panel is made when first needed: its list would cost the
        # queue's first paint 60 ms (measured), for a panel most days never open.
        yield ActionBar(self.store, self.audit, closable=self.closable, words=self.words)
        yield KeyHints(key_hints(isinstance(self.store, SiteStore), self.schedule is not None,
                                 self.words))

    def on_mount(self) -> None:
        # Today's queue is read here, before the first paint, so staff never
        # see an empty table flash: it is a day file or two (2 ms with a year
        # of history). Every later load runs in a worker.
        self._seen = (self.store.version(), self._today(), self.view)
        loaded = load(self.store, self.view, self._today(), ahead=False,
                      schedule=self.schedule is not None, words=self.words)
        self._show(self.view, loaded)
        # Series: after the paint.
        self.query_one(CheckInDetail).read_ahead(loaded.records[::-1], loaded.version)
        self.watch_view(self.view)
        self.query_one("#staff-table", DataTable).focus()
        self.set_interval(POLL_SECONDS, self.poll)

    # -- Loading, live ------------------------------------------------------------

    def poll(self) -> None:
        """Reload when the store, the day or the view changed: one or two stats.
        Runs twice a second (tests call it by hand)."""
        seen = (self.store.version(), self._today(), self.view)
        if seen != self._seen:
            self._seen = seen
            self._load(self.view, self._today())

    def watch_view(self, view: View) -> None:
        self.query_one(FilterBar).mark(view)
        self.poll()

    @work(thread=True, exclusive=True, group="load")
    def _load(self, view: View, today: date) -> None:
        loaded = load(self.store, view, today, schedule=self.schedule is not None,
                      words=self.words)
        self.app.call_from_thread(self._show, view, loaded)

    def _show(self, view: View, loaded: Loaded) -> None:
        if view != self.view:
            return  # A newer load is on its way.
        try:
            table = self.query_one(QueueTable)
        except NoMatches:
            return  # The desk is closing: a load that finished meanwhile has nowhere to go.
        self.records = {record["id"]: record for record in loaded.records}
        self._ring_for_arrivals(view, loaded.records)
        self.query_one(CheckInDetail).ahead(loaded.series, loaded.version, loaded.archive)
        self.loaded_version = loaded.version
        table.fill(loaded.records, self._today(), self.selection.id,
                   worse_ids(loaded.series, self.questions, self.meaningful))
        self.selection.after_load(list(self.records), same_list=view == self._shown_view)
        self._shown_view = view
        chosen = self.records.get(self.selection.id or "")
        if chosen is not None:
            self.series_actions.read_ahead(chosen, loaded.version, view.sites)  # For "Link".
        self._shown_total = loaded.total
        self.query_one("#staff-count", Label).update(Text(count_line(
            view, len(loaded.records), loaded.total,
            several_sites=isinstance(self.store, SiteStore), words=self.words)))
        problems = self.query_one("#staff-problems", Label)
        problems.update(Text(loaded.problems))
        problems.display = bool(loaded.problems)
        self._show_detail()

    @on(CheckInDetail.AheadRead)
    def _flag_series(self) -> None:
        """With the series read, the rows whose series is meaningfully worse."""
        table = self.query_one(QueueTable)
        worse = worse_ids(self.query_one(CheckInDetail).series_ahead, self.questions,
                          self.meaningful)
        if worse != table.worse:
            table.fill(list(self.records.values()), self._today(), self.selection.id, worse)

    # -- The selected check-in ------------------------------------------------------

    @property
    def selected(self) -> str | None:
        """The check-in staff chose (by its id, not by its row), if any."""
        return self.selection.id

    def _chosen(self) -> Record | None:
        """The chosen check-in, unless it left the list."""
        return None if self.selection.gone else self.records.get(self.selection.id or "")

    @on(DataTable.RowHighlighted)
    @on(DataTable.RowSelected)  # A tap or Enter on the row the cursor rests on.
    def _highlighted(self, event: DataTable.RowHighlighted | DataTable.RowSelected) -> None:
        self.selection.choose(event.row_key.value)
        self._show_detail()
        record = self.records.get(self.selection.id or "")
        if record is not None and not LinkPanel.open_on(self):
            self.series_actions.read_ahead(record, self.loaded_version, self.view.sites)

    def _show_detail(self) -> None:
        self.query_one(CheckInDetail).show(
            self.records.get(self.selection.id or ""), gone=self.selection.gone,
            today=self._today(), version=self.loaded_version)

    # -- Views ----------------------------------------------------------------------

    @on(FilterBar.Asked)
    def _view_asked(self, event: FilterBar.Asked) -> None:
        self.view = event.change(self.view)

    def action_show(self, name: str) -> None:
        self.query_one(FilterBar).show_filter(name)

    def action_site(self) -> None:
        """The next site (see FilterBar.next_site)."""
        if isinstance(self.store, SiteStore):
            self.query_one(FilterBar).next_site(self.store)

    def action_page(self, step: int) -> None:
        """A name search's next page of older matches (1) or newer ones (-1)."""
        self.view = self.view.turned(step, self._shown_total)

    def action_search(self) -> None:
        self.query_one("#staff-search", Input).focus()

    # -- Status and erasure ---------------------------------------------------------

    @on(Button.Pressed, ".status")
    def _status_pressed(self, event: Button.Pressed) -> None:
        self.action_set_status((event.button.id or "").removeprefix("status-"))

    def action_set_status(self, status: str) -> None:
        checkin_id = self.selection.id
        if checkin_id:
            self.query_one(ActionBar).set_status(checkin_id, status)

    @on(Button.Pressed, "#erase")
    def action_erase(self) -> None:
        record = self.records.get(self.selection.id or "")
        if record is not None:
            self.query_one(ActionBar).ask_erase(record, self._today())

    @on(ActionBar.Changed)
    @on(SeriesActions.Changed)
    def _changed(self) -> None:
        self.poll()

    # -- Series (see SeriesActions) -------------------------------------------------

    @on(Button.Pressed, "#link")
    def action_link(self) -> None:
        record = self._chosen()
        if record is not None:
            self.series_actions.offer(record, self.loaded_version, self.view.sites)

    @on(SeriesActions.LinkOffered)
    async def _open_link_panel(self, event: SeriesActions.LinkOffered) -> None:
        panels = self.query(LinkPanel)
        if panels:
            panel = panels.first()
        else:
            # It takes the table's room too: it names the check-in itself.
            panel = LinkPanel(covers=("#staff-detail", "#staff-table"), words=self.words)
            await self.mount(panel, after="#staff-detail")
        panel.offer(event.record, event.earlier, self._today())

    @on(LinkPanel.Chosen)
    def _link_chosen(self, event: LinkPanel.Chosen) -> None:
        self.query_one(QueueTable).focus()
        if event.choice is not None:
            self.series_actions.link(event.checkin_id,
                                     None if event.choice == "new" else event.choice)

    @on(Button.Pressed, "#unlink")
    def action_unlink(self) -> None:
        record = self._chosen()
        if record is not None:
            self.series_actions.unlink(record["id"])

    @on(Button.Pressed, "#undo-link")
    def action_undo_link(self) -> None:
        self.series_actions.take_back()

    @on(Button.Pressed, "#erase-series")
    def action_erase_series(self) -> None:
        record = self.records.get(self.selection.id or "")
        linked = series_of(record) if record is not None else None
        if linked is not None:
            self.series_actions.ask_erase(linked[0])

    @on(Button.Pressed, "#glance")
    def action_glance(self) -> None:
        from screens.desk.glance import GlanceScreen

        self.app.push_screen(GlanceScreen(self.store, self.clock, self.schedule, self.words))

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        from screens.desk.export import offer_export

        offer_export(self, list(self.records.values()), self.questions, self.export_dir,
                     self.audit, self.clock, self.fhir, self.words)

    @on(Button.Pressed, "#audit")
    def action_audit(self) -> None:
        from screens.desk.audit import AuditScreen

        self.app.push_screen(AuditScreen(self.audit, self.words))

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.post_message(self.Closed())
