"""The kiosk app: the visit from Welcome to Result, saving in a worker, and
the staff's way in on the kiosk."""

from __future__ import annotations

import asyncio
from contextlib import suppress
from datetime import datetime
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from kiosk.access.audit import AuditLog
from kiosk.clock import SYSTEM_CLOCK, Clock
from kiosk.content.tomltable import ContentError
from kiosk.i18n import Words, words
from kiosk.settings import Settings
from screens import STYLESHEET
from screens.collector import CollectsOnceDrawn
from screens.crash import CrashContainment, CrashScreen
from screens.signals import SignalStop
from screens.speech import KioskSpeech
from screens.staff_door import StaffDoor
from screens.themes import settings_theme
from screens.visit_saving import VisitSaving
from screens.welcome import WelcomeScreen

if TYPE_CHECKING:
    from kiosk.content.model import Content, VisitKind
    from kiosk.speech import Speaker

RETRY_SECONDS = 15.0
"""How often a failed save is tried again in the background."""

LANGUAGES_AFTER_SECONDS = 0.5
"""After start, when the other languages' content is read and checked."""

VISIT_SCREENS = {"walkthrough", "questionnaire", "save-failed"}
"""Where a client is mid-visit: left idle, these ask, then wipe the visit."""

class KioskApp(CrashContainment, CollectsOnceDrawn, StaffDoor, VisitSaving, KioskSpeech,
               App[None], inherit_bindings=False):
    """The client-facing kiosk.

    Locked down: no key quits, suspends or reaches developer tools (Textual's
    own ctrl+q and ctrl+c bindings are not inherited, the command palette is
    off, text can't be selected or copied). Only staff close it, with the PIN.
    The demo keeps ctrl+q.
    """

    CSS_PATH = STYLESHEET
    TITLE = "Check-in kiosk"
    ENABLE_COMMAND_PALETTE = False
    # A name selected and copied could be pasted by the next client.
    ALLOW_SELECT = False
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]
    theme = settings_theme()

    def __init__(
        self,
        settings: Settings,
        content: Content | None = None,
        clock: Clock = SYSTEM_CLOCK,
        speaker: Speaker | None = None,
    ) -> None:
        """`content` None: read from the settings' folder once Welcome is up
        (`content`: the clinic's own language's). `speaker`: the tests'
        stand-in for espeak-ng."""
        self.settings = settings
        """The effective settings (set first: they choose the theme)."""
        super().__init__()
        self.setup_speech(speaker)
        self._contents: dict[str, Content] = {}
        """Each language's content, read when first needed."""
        if content is not None:
            self._contents[settings.language] = content
        self.language = settings.language
        """The language of this visit: the clinic's own, until a client picks
        another on Welcome; back to the clinic's when the visit ends."""
        self.content_error: ContentError | None = None
        """Why the content could not be read, if it could not: the kiosk then
        closes, and the command line says so."""
        self.clock = clock
        """Wall time for records; monotonic time for every timeout."""
        self.audit = AuditLog(settings.data_dir, clock.now)
        self.last_input = clock.monotonic()
        """When a key or a tap last came in (`clock.monotonic`)."""
        self.inputs = 0
        """How many keys and taps have come in: any change means someone is here."""
        self.staff_open = False
        """Staff signed in on the kiosk: their screens close when left idle."""
        self.touch_keyboard = (
            settings.touch_keyboard if settings.touch_keyboard is not None else not settings.demo)
        """Whether name fields come with the on-screen keyboard."""
        self._still_there: Screen[bool] | None = None
        self.signal_stop = SignalStop(self._stop_for_signal)
        """Stops the kiosk on SIGTERM, SIGHUP or SIGINT."""
        self._crash_setup(settings.data_dir, "kiosk", clock)
        self._first_tries: dict[str, datetime] = {}
        """When each visit's check-in was first sent, by its id."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "quit":
            return self.settings.demo  # Only the demo quits from the keyboard.
        return True

    def on_mount(self) -> None:
        self.signal_stop.install()
        self.set_class(self.settings.text_size == "large", "large-text")

    STAFF_IDLE_SECONDS = 120.0
    """Staff screens on the kiosk go back to Welcome after this long: the
    public screen must never be left showing clients' check-ins."""

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.MouseUp | events.MouseScrollDown
                      | events.MouseScrollUp):
            self.last_input = self.clock.monotonic()
            self.inputs += 1
        await super().on_event(event)

    def idle_seconds(self) -> float:
        """How long since the last key or tap (a client listening to the
        page read aloud is there)."""
        if self.speaker is not None and self.speaker.speaking:
            self.last_input = self.clock.monotonic()
        return self.clock.monotonic() - self.last_input

    @property
    def content(self) -> Content:
        """The walkthrough, questions and rules in the clinic's own language,
        which staff read check-ins in (read when first needed)."""
        return self.content_in(self.settings.language)

    @property
    def visit_content(self) -> Content:
        """The content in the language of this visit."""
        return self.content_in(self.language)

    @property
    def words(self) -> Words:
        """The program's words in the language of this visit."""
        return words(self.language)

    def content_in(self, language: str) -> Content:
        """One language's content, read and checked against the clinic's own
        (the same questions, options and rules) when first needed."""
        content = self._contents.get(language)
        if content is None:
            from kiosk.content.model import load_content, load_language

            folder = self.settings.content_folder_for(language)
            content = (load_content(folder) if language == self.settings.language
                       else load_language(folder, language, self.content))
            self._contents[language] = content
        return content

    def on_ready(self) -> None:
        # After the first screen is up, so neither the content's files nor
        # the store's delay it.
        try:
            self.content  # noqa: B018  # Read and check it now, not mid-visit.
        except ContentError as error:
            self._content_failed(error)
            return
        # A moment after the first screen is out: reading the other
        # languages must not hold up its drawing.
        self.set_timer(LANGUAGES_AFTER_SECONDS, self._check_languages)
        self._prepare_store()
        self.set_interval(0.25, self.reset_if_idle)
        self.set_interval(RETRY_SECONDS, self.retry_saves)
        self.start_background()

    def _content_failed(self, error: ContentError) -> None:
        self.content_error = error
        self.exit(return_code=2)

    @work(thread=True, group="languages")
    def _check_languages(self) -> None:
        """Read and check every other language's content now, not mid-visit
        (and not on the UI thread, where Welcome is being drawn): any that
        differs from the clinic's own closes the kiosk, as a broken file does."""
        from kiosk.i18n import CatalogMissing, catalog_path

        for language in self.settings.offered_languages:
            try:
                self.content_in(language)
                # Its catalog and its way of writing times, read now, so
                # neither is read on the UI thread when the client picks it.
                words(language).time(self.clock.now())
            except ContentError as error:
                self.call_from_thread(self._content_failed, error)
                return
            except CatalogMissing as error:
                self.call_from_thread(self._content_failed, ContentError(
                    catalog_path(language), str(error).split(": ", 1)[-1]))
                return

    def get_default_screen(self) -> WelcomeScreen:
        # Welcome is the bottom of the stack: every visit is pushed on it. It
        # shows before the content is read: a look for the follow-up file
        # says whether to offer that way in (a broken one closes the kiosk).
        from kiosk.paths import FOLLOWUP_FILE

        known = self._contents.get(self.settings.language)
        followup = (known.followup is not None if known is not None
                    else (self.settings.content_folder / FOLLOWUP_FILE).exists())
        return WelcomeScreen(self.settings, self.clock, followup=followup, words=self.words)

    # What the welcome screen doesn't need (the later screens, rules, QR) is
    # imported when first used, so the first screen comes up sooner. Handlers
    # go by name, not @on(Class), for the same reason.

    async def on_welcome_screen_language_picked(self, event: WelcomeScreen.LanguagePicked) -> None:
        if event.language not in self.settings.offered_languages:
            return
        self.language = event.language
        await self._welcome().speak(self.words)

    def _welcome(self) -> WelcomeScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, WelcomeScreen)
        return screen

    def on_welcome_screen_start_pressed(self, event: WelcomeScreen.StartPressed) -> None:
        if event.visit == "follow-up" and self.visit_content.followup is not None:
            # Back for another session: straight to the short questions.
            self._ask("follow-up")
            return
        from screens.walkthrough import WalkthroughScreen

        self.push_screen(WalkthroughScreen(self.settings, self.visit_content.walkthrough,
                                           words=self.words))

    def on_walkthrough_screen_finished(self) -> None:
        self._ask("first")

    def _ask(self, visit: VisitKind) -> None:
        from screens.questionnaire import QuestionnaireScreen

        questions, _ = self.visit_content.visit(visit)
        self.push_screen(QuestionnaireScreen(self.settings, questions, visit=visit,
                                             touch_keyboard=self.touch_keyboard,
                                             words=self.words, bookings=self.bookings,
                                             clock=self.clock))

    def on_walkthrough_screen_left(self) -> None:
        self.pop_screen()

    def on_questionnaire_screen_left(self) -> None:
        self.pop_screen()

    async def reset_if_idle(self) -> None:
        """Nobody at the kiosk: close staff screens; mid-visit, ask first,
        then wipe the visit. Any key or tap holds it off. Runs four times a
        second (tests call it after moving the clock)."""
        if len(self.screen_stack) < 1 or not self.is_running:
            return  # Closing down.
        idle = self.idle_seconds()
        if self.staff_open:
            if idle > self.STAFF_IDLE_SECONDS:
                await self.back_to_welcome()
            return
        if (isinstance(self.screen, WelcomeScreen) and self.language != self.settings.language
                and idle > self.settings.idle_seconds):
            # A language picked, then nobody began: the next client is welcomed
            # in the clinic's own language.
            await self.back_to_welcome()
            return
        if self.screen.id not in VISIT_SCREENS or self._still_there is not None:
            return
        if idle > self.settings.idle_seconds:
            from screens.dialogs.still_there import StillThereScreen

            def answered(still_here: bool | None) -> None:
                if still_here:
                    self._still_there = None
                else:
                    # _still_there stays set until Welcome shows, so the
                    # question can't be asked again on a screen about to go.
                    self.call_later(self.back_to_welcome)

            self._still_there = StillThereScreen(self.settings.idle_warning_seconds, self.clock,
                                                 self.words)
            self.push_screen(self._still_there, answered)

    async def recover(self) -> None:
        """After an unexpected error: the visit is wiped (nothing of it stays
        on screen), a calm word, then Welcome."""
        said = self.words  # The client's language, before the visit (and it) goes.
        await self.back_to_welcome()
        self.push_screen(CrashScreen(
            said._("Something went wrong. Please see the front desk."), said._("OK"),
            clock=self.clock, seconds=self.settings.result_seconds))

    async def on_crash_screen_done(self) -> None:
        await self.back_to_welcome()

    async def _stop_for_signal(self) -> None:
        """Asked to stop (a supervisor, a shutdown): nothing of the visit is
        left behind, on screen or in memory."""
        await self.back_to_welcome()
        self.exit(return_code=0)

    async def on_result_screen_done(self) -> None:
        await self.back_to_welcome()

    async def back_to_welcome(self) -> None:
        """End the visit (or the staff's turn): every screen above Welcome
        goes, with what it held."""
        self.staff_open = False
        self._first_tries.clear()
        self.forget_speech()
        for screen in self.screen_stack:
            forget = getattr(screen, "forget", None)
            if forget is not None:
                # A screen that failed may never answer: its answers still go
                # with it when it is popped below.
                with suppress(Exception):
                    await asyncio.wait_for(forget(), 1.0)
        # More than one screen: while the app closes down, the stack empties.
        while len(self.screen_stack) > 1 and not isinstance(self.screen, WelcomeScreen):
            await self.pop_screen()
        self._still_there = None
        # The next client starts in the clinic's own language.
        self.language = self.settings.language
        if self.screen_stack and isinstance(self.screen_stack[0], WelcomeScreen):
            await self.screen_stack[0].speak(self.words)


def make_app(settings: Settings, clock: Clock = SYSTEM_CLOCK) -> KioskApp:
    """The kiosk for these settings; the command line and the tests use it.

    Its content is read once Welcome is up; if it is missing or wrong the app
    closes with `content_error` set (the command line prints it, exit 2).
    """
    return KioskApp(settings, None, clock)
