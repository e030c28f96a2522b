"""The page after the name: which booking is this client's. It shows times,
practitioners and services, and never anyone's name."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from kiosk.i18n import Words
from kiosk.schedule.matching import Match, Slot
from screens.widgets.choice import Choice, ChoiceGrid

NONE_OF_THESE = "none"
"""The choice that says no booking shown is theirs."""


def slot_text(slot: Slot, words: Words) -> str:
    """"2:30 PM with Maya · Sports massage", in the client's language."""
    _ = words._
    time = words.time(slot.starts_at.astimezone())
    said = (_("{time} with {practitioner}", time=time, practitioner=slot.practitioner)
            if slot.practitioner else time)
    return f"{said} · {slot.service}" if slot.service else said


def found_text(slot: Slot, words: Words) -> str:
    """"Your 2:30 PM appointment with Maya"."""
    _ = words._
    time = words.time(slot.starts_at.astimezone())
    if slot.practitioner:
        return _("Your {time} appointment with {practitioner}", time=time,
                 practitioner=slot.practitioner)
    return _("Your {time} appointment", time=time)


class AppointmentView(Vertical):
    """One step of finding the booking: confirm the one found, pick one of
    several (or none), or give the second identifier first."""

    typing = False

    def __init__(self, match: Match, words: Words) -> None:
        super().__init__(id="appointment", classes="question -appointment")
        self.match = match
        self.words = words

    def compose(self) -> ComposeResult:
        _ = self.words._
        match = self.match
        if match.kind == "ask":
            self.typing = True
            prompt = (_("The last 4 digits of your phone number") if match.second == "phone"
                      else _("Your day and month of birth"))
            # The question itself is the prompt: with the on-screen keyboard
            # up, help lines give it their room.
            yield Label(prompt, classes="prompt", markup=False)
            yield Label(_("We have more than one appointment for that name."),
                        classes="help", markup=False)
            yield Input(id="second-id", max_length=4 if match.second == "phone" else 5,
                        restrict=r"[0-9]*" if match.second == "phone" else r"[0-9/.-]*",
                        placeholder="1234" if match.second == "phone" else _("DD/MM"))
            yield Label(_("Or leave it empty and tap Next to choose by time."),
                        classes="help", markup=False)
        elif match.kind == "one":
            yield Label(_("We found your appointment"), classes="prompt", markup=False)
            yield Label(found_text(match.slots[0], self.words), id="appointment-found",
                        classes="found", markup=False)
            grid = ChoiceGrid([
                Choice(match.slots[0].id, _("Yes, that's mine"), multi=False,
                       id="choice-appointment-yes"),
                Choice(NONE_OF_THESE, _("No, that's not mine"), multi=False,
                       id="choice-appointment-none")], multi=False, columns=1,
                id="choices-appointment")
            grid.pick([match.slots[0].id])
            yield grid
        else:
            yield Label(_("Which is your appointment?"), classes="prompt", markup=False)
            yield Label(_("Tap your time and practitioner."), classes="help", markup=False)
            choices = [Choice(slot.id, slot_text(slot, self.words), multi=False,
                              id=f"choice-appointment-{number}")
                       for number, slot in enumerate(match.slots)]
            choices.append(Choice(NONE_OF_THESE, _("None of these"), multi=False,
                                  id="choice-appointment-none"))
            yield ChoiceGrid(choices, multi=False, columns=1, id="choices-appointment")
        yield Label("", classes="problem", markup=False)

    def spoken(self, private: bool) -> list[str]:
        """What Read aloud says of this step. The booking found, and the
        bookings offered, come of the client's name: only when private."""
        from kiosk.speech import spoken

        said = []
        for label in self.query("Label.prompt, Label.help, #appointment-found").results(Label):
            if private or label.id != "appointment-found":
                said.append(str(label.render()))
        for choice in self.query(Choice).results(Choice):
            if private or choice.value == NONE_OF_THESE or self.match.kind == "one":
                said.append(choice.label)
        return [spoken(part) for part in said if spoken(part)]

    @property
    def answer(self) -> Any:
        """The booking picked (its id), `NONE_OF_THESE`, the second identifier
        typed (for "ask"), or None (nothing picked yet)."""
        if self.match.kind == "ask":
            return self.query_one("#second-id", Input).value.strip()
        picked = self.query_one(ChoiceGrid).picked
        return picked[0] if picked else None

    def show_problem(self, shown: bool) -> None:
        label = self.query_one(".problem", Label)
        _ = self.words._
        label.update("▲ " + _("Please tap your appointment, or None of these.") if shown else "")
        label.set_class(shown, "-shown")

    def focus_first(self) -> None:
        if self.match.kind == "ask":
            self.query_one("#second-id", Input).focus(scroll_visible=False)
        else:
            self.query_one(ChoiceGrid).focus(scroll_visible=False)

    @on(ChoiceGrid.Changed)
    def _clear_problem(self) -> None:
        self.show_problem(False)
