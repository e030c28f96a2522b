"""The chosen check-in in full at the desk: who and when, the recommendation,
its series, and every answer with its flags."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from kiosk.access.audit import AuditLog
from kiosk.checkin.record import client_name, series_of, visit_of
from kiosk.clock import Clock
from kiosk.content.model import Meaningful, Question
from kiosk.desk.queue import read_series
from kiosk.desk.report import ReportSetup
from kiosk.desk.rows import NO_NAME, arrival, detail_lines, printable, queue_row
from kiosk.files import StoreError
from kiosk.i18n import ENGLISH, N_, Words
from kiosk.store.contract import Record, Store
from screens.desk.series_actions import SeriesActions, tell
from screens.widgets.series import SeriesView

GONE = N_("The check-in you had selected is gone from this list: erased, or moved on at "
          "another desk. Choose one to go on.")
EMPTY = N_("Nothing to show: no check-ins here yet.")


class CheckInDetail(VerticalScroll):
    """Shows one check-in; a linked one's series is drawn from what the
    queue read ahead, or read in a worker, never another client's meanwhile."""

    def __init__(self, store: Store, audit: AuditLog, questions: Sequence[Question],
                 language: str, *, bookings: bool = False,
                 meaningful: Meaningful | None = None,
                 report: tuple[ReportSetup, Clock] | None = None,
                 words: Words = ENGLISH) -> None:
        """`report`: what the series' progress report needs (None: no Report button);
        `words`: the desk's."""
        super().__init__(id="staff-detail")
        self.words = words
        self.report = report
        self.bookings = bookings
        self.meaningful = meaningful
        self.store = store
        self.audit = audit
        self.questions = questions
        self.language = language
        """The clinic's own; a check-in made in another says so."""
        self.series_shown: tuple[str, Any] | None = None
        """The series drawn, and the store's version it was read at."""
        self.series_ahead: dict[str, list[Record]] = {}
        """The series the queue's last load read ahead, by id."""
        self.version: Any = None
        """The store's version the queue's last load read."""
        self.archive: dict[str, str] = {}
        """What is wrong with kept consent texts, by version (the last load's)."""

    def compose(self) -> ComposeResult:
        yield Static("", id="staff-detail-text")
        yield SeriesActions(self.store, self.audit, bookings=self.bookings, report=self.report,
                            words=self.words)
        yield SeriesView(meaningful=self.meaningful, words=self.words)
        yield Static("", id="staff-detail-answers")

    def ahead(self, series: dict[str, list[Record]], version: Any,
              archive: dict[str, str] | None = None) -> None:
        """What the queue's load read ahead, and at which version."""
        self.series_ahead, self.version = series, version
        self.archive = archive or {}

    @work(thread=True, exclusive=True, group="ahead")
    def read_ahead(self, records: list[Record], version: Any) -> None:
        """Read the series of the newest linked check-ins, after the paint."""
        series = read_series(self.store.series, records)
        self.app.call_from_thread(self._got_ahead, series, version)

    class AheadRead(Message):
        """The series of the newest linked check-ins are read."""

    def _got_ahead(self, series: dict[str, list[Record]], version: Any) -> None:
        if version == self.version:  # Not overtaken by a later load.
            self.series_ahead = series
            self.post_message(self.AheadRead())

    def show(self, record: Record | None, *, gone: bool, today: date, version: Any) -> None:
        """Draw this check-in (None: nothing chosen; `gone`: the chosen one left
        the list, and nothing may act on whichever row the cursor rests on)."""
        self.query_one(SeriesActions).show_for(None if gone else record)
        text = self.query_one("#staff-detail-text", Static)
        if gone or record is None:
            self.query_one("#staff-detail-answers", Static).update("")
            self._hide_series()
            text.update(self.words._(GONE if gone else EMPTY))
            return
        text.update(self._summary(record, today))
        answers = Text()
        for line in detail_lines(record, self.questions, self.language, self.archive,
                                 self.words):
            if line.flag:
                answers.append(f"{line.flag}\n", style="bold")
            answers.append(f"{line.label}: ", style="bold" if line.flag else "dim")
            answers.append(line.answer + "\n")
        self.query_one("#staff-detail-answers", Static).update(answers)
        linked = series_of(record)
        if linked is None:
            self._hide_series()
        elif self.series_shown != (linked[0], version):
            view = self.query_one(SeriesView)
            self.series_shown = (linked[0], version)
            ahead = self.series_ahead.get(linked[0])
            if ahead is not None:
                view.show(ahead, self.questions)
                view.display = bool(ahead)
            else:
                view.display = False  # Never another client's series while it loads.
                self._load_series(linked[0])

    def _summary(self, record: Record, today: date) -> Text:
        _ = self.words._
        text = Text()
        text.append(printable(client_name(record)) or _(NO_NAME), style="bold")
        text.append("  " + _("arrived {when}", when=arrival(record, today, words=self.words)))
        text.append(f"  · {queue_row(record, today, words=self.words).status}")
        if visit_of(record) == "follow-up":
            text.append("  · " + _("Follow-up"))
        recommendation = record.get("recommendation") or {}
        text.append("\n" + _("Recommended: {name}.", name=printable(recommendation.get("name", "")))
                    + " ")
        text.append(printable(recommendation.get("why", "")))
        return text

    def _hide_series(self) -> None:
        self.series_shown = None
        self.query_one(SeriesView).display = False

    @work(thread=True, exclusive=True, group="series")
    def _load_series(self, series_id: str) -> None:
        try:
            records = self.store.series(series_id)
        except StoreError as error:
            tell(self, self.words._("That did not work: {error}", error=error), error=True)
            return
        self.app.call_from_thread(self._show_series, series_id, records)

    def _show_series(self, series_id: str, records: list[Record]) -> None:
        if self.series_shown is None or self.series_shown[0] != series_id:
            return  # Another check-in was chosen meanwhile.
        view = self.query_one(SeriesView)
        view.show(records, self.questions)
        view.display = bool(records)
