"""Link to earlier visits: staff, who can see the person, pick which earlier
check-in (same first name and last initial) this visit belongs with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.checkin import client_name, series_of
from kiosk.frontdesk import arrival, printable, type_label
from kiosk.progress import PAIN


def suggestion_text(record: Mapping[str, Any], today: date) -> str:
    """One earlier visit as staff choose it: date, massage, pain, series."""
    pain = (record.get("answers") or {}).get(PAIN)
    linked = series_of(record)
    parts = [arrival(record, today), type_label(record) or "?",
             f"pain {pain}" if isinstance(pain, int) and not isinstance(pain, bool)
             else "no pain score",
             f"session {linked[1]} of a series" if linked else "not in a series"]
    return " · ".join(parts)


class LinkScreen(ModalScreen[str | None]):
    """Dismissed with "new" (start a series), "unlinked", the id of the
    earlier check-in whose series to join, or None (Esc: nothing changes)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, record: Mapping[str, Any], earlier: Sequence[Mapping[str, Any]],
                 today: date) -> None:
        super().__init__(id="link")
        self.record = record
        self.earlier = list(earlier)
        self.today = today

    def compose(self) -> ComposeResult:
        who = printable(client_name(self.record), 40) or "(no name)"
        with Vertical(id="link-box"):
            yield Label("Link to earlier visits", id="link-title")
            yield Static(
                f"{who}, arrived {arrival(self.record, self.today)}. Earlier check-ins with the "
                "same first name and last initial, newest first. Names are not unique: check "
                "with the client before you pick one.", id="link-text", markup=False)
            if not self.earlier:
                yield Label("No earlier check-in has this name.", id="link-none", markup=False)
            # One widget for the whole list: it opens at once, however long.
            # Three rows each, so a finger on the kiosk finds it.
            yield OptionList(*(Option(Content(f"\n{suggestion_text(record, self.today)}\n"),
                                      id=str(record["id"]))
                               for record in self.earlier), id="link-choices")
            with Horizontal(classes="nav"):
                yield Button("Start a new series", id="new", variant="primary")
                yield Button("Leave unlinked", id="unlinked")

    def on_mount(self) -> None:
        choices = self.query_one("#link-choices", OptionList)
        choices.display = bool(self.earlier)
        if self.earlier:
            choices.highlighted = 0
            choices.focus()
        else:
            self.query_one("#new", Button).focus()

    @on(OptionList.OptionSelected, "#link-choices")
    def _join(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Button.Pressed, "#new")
    def _new(self) -> None:
        self.dismiss("new")

    @on(Button.Pressed, "#unlinked")
    def _leave(self) -> None:
        self.dismiss("unlinked")

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
