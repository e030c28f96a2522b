"""Staff on the kiosk: five taps on the clinic name, the PIN, then a menu:
review check-ins (a kiosk with its own folder), or close the kiosk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import App

from kiosk.access.audit import AuditLog
from kiosk.clock import Clock
from kiosk.i18n import Words
from kiosk.i18n import words as words_in
from kiosk.settings import Settings
from screens.welcome import WelcomeScreen

if TYPE_CHECKING:
    from kiosk.access.pin import StaffPin
    from kiosk.content.model import Content
    from kiosk.store.contract import LocalStore


class StaffDoor(App[None]):
    """The kiosk app's way in for staff (a part of `KioskApp`)."""

    settings: Settings
    clock: Clock
    audit: AuditLog
    staff_open: bool

    PIN_IDLE_SECONDS = 30.0
    """The PIN pad on the kiosk gives up after this long without a tap."""

    if TYPE_CHECKING:
        @property
        def store(self) -> LocalStore: ...

        @property
        def content(self) -> Content: ...

        @property
        def words(self) -> Words: ...

        async def back_to_welcome(self) -> None: ...

    def on_welcome_screen_staff_gesture(self) -> None:
        self._ask_for_pin()

    @work(thread=True, exclusive=True, group="staff-pin")
    def _ask_for_pin(self) -> None:
        """Whether a PIN is set, asked off the UI thread: with a shared
        database, it is a query."""
        from kiosk.store.choose import kiosk_pin

        pin = kiosk_pin(self.settings, self.clock.now)
        try:
            is_set = pin.is_set()
        except OSError:
            is_set = True  # The database can't be asked: the pad fails closed, saying why.
        self.call_from_thread(self._offer_pin_pad, pin, is_set)

    def _offer_pin_pad(self, pin: StaffPin, is_set: bool) -> None:
        from screens.dialogs.choice import ChoiceScreen
        from screens.pin_pad import PinPadScreen

        if not isinstance(self.screen, WelcomeScreen):
            return  # A client began a visit meanwhile: theirs comes first.
        _ = self.words._
        if not is_set:
            self.push_screen(ChoiceScreen(
                _("No staff PIN is set"),
                _("Set one at this machine's terminal with: {command}", command="kiosk set-pin"),
                [("ok", _("OK"), "primary")]))
            return

        def signed_in(ok: bool | None) -> None:
            if ok:
                self.staff_open = True
                self._open_staff_menu()

        self.push_screen(PinPadScreen(pin, where="kiosk", clock=self.clock, strict=True,
                                      idle_seconds=self.PIN_IDLE_SECONDS, words=self.words),
                         signed_in)

    def _open_staff_menu(self) -> None:
        from screens.desk.staff_menu import StaffMenuScreen

        self.push_screen(StaffMenuScreen(held=self.store.held_in_memory(),
                                         shared=self.settings.database_url is not None,
                                         words=words_in(self.settings.language)),
                         self._staff_menu_chosen)

    def _staff_menu_chosen(self, choice: str | None) -> None:
        from kiosk.desk.fhir import fhir_context
        from kiosk.desk.schedule import desk_schedule
        from screens.desk.queue import StaffScreen

        if choice == "review" and self.settings.database_url is None:
            self.push_screen(StaffScreen(
                self.store, self.audit, self.content.all_questions(), self.settings.clinic_name,
                export_dir=self.settings.export_dir, closable=True, clock=self.clock,
                language=self.settings.language, schedule=desk_schedule(self.settings),
                meaningful=self.content.rules.meaningful,
                fhir=fhir_context(self.content, self.settings.aftercare_url,
                                  self.settings.clinic_name, archive=self.store.consent_text)))
        elif choice == "exit":
            self.audit.record("kiosk-exit")
            self.exit()
        else:
            self.staff_open = False

    async def on_staff_screen_closed(self) -> None:
        await self.back_to_welcome()
