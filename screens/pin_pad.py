"""The staff PIN pad: digits by tap or by key, never shown."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Label

from kiosk.access.pin import PIN_DIGITS, PIN_UNWRITABLE, PinResult, StaffPin
from kiosk.clock import Clock
from kiosk.i18n import ENGLISH, Words

KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "back", "0", "ok"]


class PinPadScreen(Screen[bool]):
    """Dismissed with True once the PIN is right, False if given up.

    On the kiosk (`strict`), a wrong PIN or `idle_seconds` without a tap gives
    up at once, back to Welcome. At the staff terminal a wrong PIN says how
    many tries are left, and five lock entry for a minute.
    """

    CSS_PATH = "dialogs.tcss"
    """Its layout, loaded when it first shows (not at start-up)."""

    BINDINGS = [
        *(Binding(digit, f"digit('{digit}')", show=False) for digit in "0123456789"),
        Binding("backspace", "erase", "Erase", show=False),
        Binding("enter", "submit", "Enter", show=False),
        Binding("escape", "cancel", "Cancel"),
    ]

    entered: reactive[int] = reactive(0)
    """How many digits are in (the digits themselves are never shown)."""

    def __init__(self, pin: StaffPin, *, where: str, clock: Clock, strict: bool = False,
                 idle_seconds: float | None = None, cancel_label: str | None = None,
                 words: Words = ENGLISH) -> None:
        """`words`: the language of whoever is at the screen (on the kiosk,
        the client's language is what shows)."""
        super().__init__(id="pin-pad")
        self.words = words
        self.pin = pin
        self.where = where
        self.strict = strict
        self.idle_seconds = idle_seconds
        self.cancel_label = cancel_label or words._("Cancel")
        self.clock = clock
        self._digits: list[str] = []
        self._last_input = clock.monotonic()
        self._checking = False

    def compose(self) -> ComposeResult:
        with Vertical(id="pin-box"):
            yield Label(self.words._("Staff PIN"), id="pin-title")
            yield Label("", id="pin-dots")
            yield Label("", id="pin-message")
            with Grid(id="pin-keys"):
                for key in KEYS:
                    label = {"back": "⌫", "ok": self.words._("OK")}.get(key, key)
                    button = Button(label, id=f"pin-{key}",
                                    variant="primary" if key == "ok" else "default")
                    # Keys take digits; focus stays on OK so Enter always submits.
                    button.can_focus = key == "ok"
                    yield button
            yield Button(self.cancel_label, id="pin-cancel")

    def on_mount(self) -> None:
        self.query_one("#pin-ok", Button).focus()  # Enter submits.
        self._show_dots()
        self.set_interval(1, self.tick)
        self.tick()

    def tick(self) -> None:
        """Give up when left idle on the kiosk; show the lock's countdown. Runs
        once a second (tests call it after moving the clock)."""
        if self.idle_seconds is not None and (
            self.clock.monotonic() - self._last_input > self.idle_seconds
        ):
            self.dismiss(False)
            return
        locked = self.pin.locked_seconds(self.where)
        for button in self.query("#pin-keys Button"):
            button.disabled = bool(locked)
        if locked:
            self._say(self.words.n_("Locked. Try again in {count} second.",
                                    "Locked. Try again in {count} seconds.", locked), locked=True)
        elif self.query_one("#pin-message", Label).has_class("-locked"):
            self._say("")

    def _say(self, text: str, *, locked: bool = False) -> None:
        message = self.query_one("#pin-message", Label)
        message.update(text)
        message.set_class(locked, "-locked")

    def watch_entered(self) -> None:
        self._show_dots()

    def _show_dots(self) -> None:
        low = PIN_DIGITS[0]
        shown = "● " * self.entered + "○ " * max(0, low - self.entered)
        self.query_one("#pin-dots", Label).update(shown.strip() or " ")

    def on_key(self) -> None:
        self._last_input = self.clock.monotonic()

    def on_click(self) -> None:
        self._last_input = self.clock.monotonic()

    @on(Button.Pressed, "#pin-keys Button")
    def _pressed(self, event: Button.Pressed) -> None:
        self._last_input = self.clock.monotonic()
        key = (event.button.id or "").removeprefix("pin-")
        if key == "back":
            self.action_erase()
        elif key == "ok":
            self.action_submit()
        else:
            self.action_digit(key)

    @on(Button.Pressed, "#pin-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_digit(self, digit: str) -> None:
        if len(self._digits) < PIN_DIGITS[1] and not self._checking:
            self._digits.append(digit)
            self.entered = len(self._digits)

    def action_erase(self) -> None:
        if self._digits:
            self._digits.pop()
            self.entered = len(self._digits)

    def action_submit(self) -> None:
        if self._checking or not self._digits or self.pin.locked_seconds(self.where):
            return
        self._checking = True
        self._say(self.words._("Checking…"))
        self._check("".join(self._digits))
        self._digits.clear()
        self.entered = 0

    @work(thread=True, exclusive=True, group="pin")
    def _check(self, pin: str) -> None:
        # scrypt is slow on purpose: off the UI thread.
        try:
            result = self.pin.check(pin, where=self.where)
        except OSError:  # A full or read-only data folder: fail closed, say why.
            result = PinResult(False, 0, 0, problem=PIN_UNWRITABLE)
        self.app.call_from_thread(self._checked, result)

    def _checked(self, result: PinResult) -> None:
        self._checking = False
        if result.problem:
            self._say(self.words.say(result.problem))  # Even on the kiosk: staff must see why.
        elif result.ok:
            self.dismiss(True)
        elif self.strict:
            self.dismiss(False)
        elif result.locked_seconds:
            self.tick()
        else:
            self._say(self.words.n_("Wrong PIN. {count} try left.",
                                    "Wrong PIN. {count} tries left.", result.tries_left))
