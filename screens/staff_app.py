"""The front desk's app, `kiosk staff`: the PIN, then the live queue."""

from __future__ import annotations

from textual import work
from textual.app import App
from textual.binding import Binding

from kiosk.clock import SYSTEM_CLOCK, Clock
from kiosk.content.model import Content, load_content
from kiosk.i18n import words
from kiosk.settings import Settings
from kiosk.store.choose import desk_audit, desk_pin, open_desk_store
from screens import STYLESHEET
from screens.collector import CollectsOnceDrawn
from screens.crash import CrashContainment, CrashScreen
from screens.signals import SignalStop
from screens.themes import settings_theme


class StaffApp(CrashContainment, CollectsOnceDrawn, App[None]):
    """Runs beside any number of kiosks on the same data folder."""

    CSS_PATH = STYLESHEET
    TITLE = "Front desk"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]
    theme = settings_theme()

    def __init__(self, settings: Settings, content: Content, clock: Clock = SYSTEM_CLOCK,
                 *, signed_in: bool = False) -> None:
        """`signed_in` skips the PIN: for tests and benchmarks only."""
        self.settings = settings
        """The effective settings (set first: they choose the theme)."""
        super().__init__()
        self.words = words(settings.language)
        """The desk's words, in the clinic's own language."""
        self.title = self.words._("Front desk")
        self.content = content
        self.clock = clock
        self.store = open_desk_store(settings, clock.now, questions=content.all_questions())
        self.audit = desk_audit(settings, clock.now)
        self.signed_in = signed_in
        self.signal_stop = SignalStop(self._stop_for_signal)
        """Stops the desk on SIGTERM, SIGHUP or SIGINT."""
        self._crash_setup(settings.data_dir, "staff", clock)

    async def _stop_for_signal(self) -> None:
        self.exit(return_code=0)

    async def recover(self) -> None:
        """After an unexpected error: every screen goes, a word on what
        happened, then the queue again, after the PIN."""
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        _ = self.words._
        log = _(" The details are in {path}.", path=self.crash_log) if self.crash_log else ""
        self.push_screen(CrashScreen(
            _("Something went wrong at the front desk, and the queue was closed.{log} "
              "Nothing was changed by it.", log=log), _("Open the queue again"),
            clock=self.clock, seconds=float("inf")))

    async def on_crash_screen_done(self) -> None:
        await self.pop_screen()
        self._open()

    def on_mount(self) -> None:
        self._read_dates_ahead()
        self.signal_stop.install()
        self._open()
        if self.settings.schedule:
            # The desk keeps the schedule's feeds read (with a shared database,
            # only the desk can: a kiosk's role writes no bookings).
            from kiosk.desk.schedule import Refresher

            self.refresher = Refresher(self.store, self.settings.schedule,
                                       self.settings.schedule_refresh_minutes, self.clock.now)
            self.refresher.start()

    @work(thread=True, group="dates")
    def _read_dates_ahead(self) -> None:
        """Babel and its data for the desk's language, read while the PIN pad
        waits (about 30 ms), not on the UI thread when the queue first shows
        its times."""
        self.words.day_time(self.clock.now())
        self.words.number(0)

    def on_unmount(self) -> None:
        refresher = getattr(self, "refresher", None)
        if refresher is not None:
            refresher.stop.set()

    def _open(self) -> None:
        from kiosk.desk.fhir import fhir_context
        from kiosk.desk.schedule import desk_schedule
        from screens.desk.queue import StaffScreen
        from screens.pin_pad import PinPadScreen

        staff = StaffScreen(self.store, self.audit, self.content.all_questions(),
                            self.settings.clinic_name, export_dir=self.settings.export_dir,
                            clock=self.clock, language=self.settings.language,
                            schedule=desk_schedule(self.settings),
                            meaningful=self.content.rules.meaningful,
                            fhir=fhir_context(self.content, self.settings.aftercare_url,
                                              self.settings.clinic_name,
                                              archive=self.store.consent_text))
        if self.signed_in:
            self.push_screen(staff)
            return

        def signed_in(ok: bool | None) -> None:
            if ok:
                self.push_screen(staff)
            else:
                self.exit()

        # Over the app's blank default screen: nothing shows before the PIN.
        self.push_screen(PinPadScreen(desk_pin(self.settings, self.clock.now),
                                      where="staff", clock=self.clock,
                                      cancel_label=self.words._("Quit"), words=self.words),
                         signed_in)


def make_staff_app(settings: Settings, clock: Clock = SYSTEM_CLOCK) -> StaffApp:
    """The staff app for these settings (raises ContentError for bad content)."""
    return StaffApp(settings, load_content(settings.content_folder), clock)
