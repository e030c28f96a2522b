"""The Textual kiosk app: the visit from Welcome to Result, and saving."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from textual import work
from textual.app import App

from kiosk.content import Content, load_content
from kiosk.settings import Settings
from screens import STYLESHEET
from screens.welcome import WelcomeScreen

if TYPE_CHECKING:
    from kiosk.checkin import Answers, Recommendation
    from kiosk.store import CheckInStore
    from screens.questionnaire import QuestionnaireScreen

Clock = Callable[[], datetime]
"""Gives the current time; tests and snapshots pass a fixed one."""


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


class KioskApp(App[None]):
    """The client-facing kiosk."""

    CSS_PATH = STYLESHEET
    TITLE = "Check-in kiosk"
    # Clients must never land in developer tools.
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        settings: Settings,
        content: Content,
        clock: Clock = utc_now,
    ) -> None:
        super().__init__()
        self.settings = settings
        """The effective settings."""
        self.content = content
        """The walkthrough, questions and rules."""
        self.clock = clock

    @cached_property
    def store(self) -> CheckInStore:
        """Where check-ins are saved (TinyDB loads when first needed)."""
        from kiosk.store import CheckInStore

        return CheckInStore(self.settings.data_dir, clock=self.clock)

    def on_ready(self) -> None:
        # After the first screen is up, so disk work never delays it.
        self._prepare_store()

    @work(thread=True, group="store")
    def _prepare_store(self) -> None:
        """Store check-ins kept from earlier failed saves; apply retention."""
        from kiosk.maintenance import prepare_store

        prepare_store(self.store, self.settings)

    def get_default_screen(self) -> WelcomeScreen:
        # Welcome is the bottom of the stack: every visit is pushed on it.
        return WelcomeScreen(self.settings)

    # What the welcome screen doesn't need (the later screens, rules, QR) is
    # imported when first used, so the first screen comes up sooner. Handlers
    # go by name, not @on(Class), for the same reason.

    def on_welcome_screen_start_pressed(self) -> None:
        from screens.walkthrough import WalkthroughScreen

        self.push_screen(WalkthroughScreen(self.settings, self.content.walkthrough))

    def on_walkthrough_screen_finished(self) -> None:
        from screens.questionnaire import QuestionnaireScreen

        self.push_screen(QuestionnaireScreen(self.settings, self.content.questions))

    def on_walkthrough_screen_left(self) -> None:
        self.pop_screen()

    def on_questionnaire_screen_left(self) -> None:
        self.pop_screen()

    def on_questionnaire_screen_submitted(self, event: QuestionnaireScreen.Submitted) -> None:
        self._save(event.answers, event.checkin_id)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, answers: Answers, checkin_id: str) -> None:
        """Save off the UI thread; the result shows only once it is stored."""
        from kiosk.checkin import new_record
        from kiosk.rules import flags, needs_front_desk, recommend
        from kiosk.store import StoreError

        rules = self.content.rules
        recommendation = recommend(rules, answers)
        found = flags(rules, answers)
        record = new_record(answers, recommendation, found, self.clock(), checkin_id)
        try:
            self.store.add(record)
        except (StoreError, ValueError):
            # The store keeps the check-in as pending; the client sees the desk.
            self.call_from_thread(self._save_failed, answers, checkin_id)
        else:
            notice = rules.health_notice if needs_front_desk(found) else None
            self.call_from_thread(self._show_result, recommendation, notice)

    def _save_failed(self, answers: Answers, checkin_id: str) -> None:
        from screens.questionnaire import QuestionnaireScreen
        from screens.save_failed import SaveFailedScreen

        questionnaire = self.screen
        assert isinstance(questionnaire, QuestionnaireScreen)

        def retry(again: bool | None) -> None:
            if again:
                self._save(answers, checkin_id)
            else:
                questionnaire.saving = False

        self.push_screen(SaveFailedScreen(), retry)

    def _show_result(self, recommendation: Recommendation, notice: str | None) -> None:
        from kiosk.qr import aftercare_url
        from screens.result import ResultScreen

        url = aftercare_url(self.settings.aftercare_url, recommendation.type)
        # Replacing the questionnaire drops the answers with it.
        self.switch_screen(ResultScreen(self.settings, recommendation, url=url, notice=notice))

    async def on_result_screen_done(self) -> None:
        await self.back_to_welcome()

    async def back_to_welcome(self) -> None:
        """End the visit: every screen above Welcome goes, with what it held."""
        while not isinstance(self.screen, WelcomeScreen):
            await self.pop_screen()


def make_app(settings: Settings, clock: Clock = utc_now) -> KioskApp:
    """The kiosk for these settings; the command line and the tests use it.

    Raises:
        ContentError: if the content folder is missing or wrong.
    """
    content = load_content(settings.content_dir)
    return KioskApp(settings, content, clock)
