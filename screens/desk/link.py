"""Link to earlier visits: staff, who can see the person, pick which earlier
check-in (same first name and last initial) this visit belongs with.

A panel in place of the staff detail, not a dialog: the queue stays in
view, and the list, read ahead while the check-in was selected, shows at
once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.checkin.record import client_name, series_of
from kiosk.desk.progress import PAIN
from kiosk.desk.rows import NO_NAME, arrival, printable, type_label
from kiosk.i18n import ENGLISH, Words


def suggestion_text(record: Mapping[str, Any], today: date, words: Words = ENGLISH) -> str:
    """One earlier visit as staff choose it: date, massage, pain, series."""
    _ = words._
    pain = (record.get("answers") or {}).get(PAIN)
    linked = series_of(record)
    parts = [arrival(record, today, words=words), type_label(record, words) or "?",
             _("pain {score}", score=pain) if isinstance(pain, int) and not isinstance(pain, bool)
             else _("no pain score"),
             _("session {number} of a series", number=linked[1]) if linked else
             _("not in a series")]
    return " · ".join(parts)


class LinkPanel(Vertical):
    """Shown by `offer`; says what staff chose with `Chosen`."""

    DEFAULT_CSS = """
    LinkPanel {
        height: 3fr;
        border-top: solid $primary;
        padding: 0 1;
        display: none;
    }
    LinkPanel #link-title {
        text-style: bold;
    }
    LinkPanel #link-choices {
        height: 1fr;
        min-height: 3;
    }
    LinkPanel > Horizontal {
        height: 3;
    }
    LinkPanel Button {
        margin-right: 1;
    }
    """

    BINDINGS = [Binding("escape", "leave", "Leave unlinked")]

    class Chosen(Message):
        """Staff chose: "new" (start a series), an earlier check-in's id (join
        it), or None (leave it as it is)."""

        def __init__(self, checkin_id: str, choice: str | None) -> None:
            super().__init__()
            self.checkin_id = checkin_id
            self.choice = choice

    def __init__(self, covers: tuple[str, ...] = (), words: Words = ENGLISH) -> None:
        """`covers`: the screen's parts the panel takes the place of while open."""
        super().__init__(id="link-panel")
        self.words = words
        self.covers = covers
        self.checkin_id = ""
        self.earlier: list[Mapping[str, Any]] = []

    def compose(self) -> ComposeResult:
        _ = self.words._
        yield Label(_("Link to earlier visits"), id="link-title")
        yield Static("", id="link-text")
        yield OptionList(id="link-choices")
        with Horizontal():
            yield Button(_("Start a new series"), id="new", variant="primary")
            yield Button(_("Leave unlinked"), id="unlinked")

    @staticmethod
    def open_on(screen: Screen[Any]) -> bool:
        """Whether a link panel is open on this screen."""
        panels = screen.query(LinkPanel)
        return bool(panels) and bool(panels.first().display)

    def offer(self, record: Mapping[str, Any], earlier: Sequence[Mapping[str, Any]],
              today: date) -> None:
        """Show the earlier visits this check-in may belong with."""
        self.checkin_id = str(record["id"])
        self.earlier = list(earlier)
        _ = self.words._
        who = printable(client_name(record), 40) or _(NO_NAME)
        found = (_("Earlier check-ins with the same first name and last initial, newest first. "
                   "Names are not unique: check with the client before you pick one.")
                 if earlier else _("No earlier check-in has this name."))
        # Who, then what the list is, each on a line of its own: a line of
        # Chinese has no spaces to break at, so one line would part the name.
        self.query_one("#link-text", Static).update(Content(_(
            "{who}, arrived {when}.", who=who, when=arrival(record, today, words=self.words))
            + "\n" + found))
        choices = self.query_one("#link-choices", OptionList)
        choices.clear_options()
        # Three rows each, so a finger on the kiosk finds it.
        choices.add_options(Option(Content(f"\n{suggestion_text(other, today, self.words)}\n"),
                                   id=str(other["id"])) for other in earlier)
        choices.display = bool(earlier)
        self._take_place(True)
        if earlier:
            choices.highlighted = 0
            choices.focus()
        else:
            self.query_one("#new", Button).focus()

    def _take_place(self, covering: bool) -> None:
        for part in self.covers:
            self.screen.query_one(part).display = not covering
        self.display = covering

    def _close(self, choice: str | None) -> None:
        self._take_place(False)
        self.post_message(self.Chosen(self.checkin_id, choice))

    @on(OptionList.OptionSelected, "#link-choices")
    def _join(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._close(event.option.id)

    @on(Button.Pressed, "#new")
    def _new(self, event: Button.Pressed) -> None:
        event.stop()
        self._close("new")

    @on(Button.Pressed, "#unlinked")
    def action_leave(self, event: Button.Pressed | None = None) -> None:
        if event is not None:
            event.stop()
        self._close(None)
