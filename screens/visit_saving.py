"""Where a visit's check-in goes: this kiosk's store, saved off the UI
thread (the result once it is stored, or "please see the front desk", its
answers kept, when it can't be), failed saves tried again, and delivery on
to a shared database."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from textual import work
from textual.app import App

from kiosk.access.audit import AuditLog
from kiosk.clock import Clock
from kiosk.i18n import words
from kiosk.settings import Settings

if TYPE_CHECKING:
    from kiosk.checkin.record import Answers, Recommendation, StoredCheckIn
    from kiosk.content.model import Content, VisitKind
    from kiosk.delivery import Delivery
    from kiosk.notices import Outbox
    from kiosk.schedule.matching import Bookings
    from kiosk.store.contract import LocalStore
    from screens.questionnaire import QuestionnaireScreen


class VisitSaving(App[None]):
    """The kiosk app's store and the saving of a visit (a part of `KioskApp`)."""

    settings: Settings
    clock: Clock
    audit: AuditLog
    language: str
    _first_tries: dict[str, datetime]

    if TYPE_CHECKING:
        @property
        def content(self) -> Content: ...

        def content_in(self, language: str) -> Content: ...

    @cached_property
    def store(self) -> LocalStore:
        """Where check-ins are saved (loaded when first needed)."""
        from kiosk.store.choose import open_store

        # The content is read before anything is saved (on_ready).
        return open_store(self.settings.data_dir, self.clock.now,
                          questions=self.content.all_questions())

    @cached_property
    def delivery(self) -> Delivery | None:
        """With a shared database: what sends this kiosk's check-ins on to it
        (they are saved here first, always)."""
        if self.settings.database_url is None:
            return None
        from kiosk.delivery import Delivery
        from kiosk.store.dayfiles.store import CheckInStore

        store = self.store
        assert isinstance(store, CheckInStore)  # A kiosk always saves to its folder.
        return Delivery(store, self.settings.database_url, site=self.settings.site,
                        keep_days=self.settings.local_keep_days, clock=self.clock.now)

    def on_unmount(self) -> None:
        # The background threads end with the app.
        for name in ("delivery", "outbox"):
            worker = self.__dict__.get(name)
            if worker is not None:
                worker.stop.set()
                worker.wake.set()
        refresher = self.__dict__.get("refresher")
        if refresher is not None:
            refresher.stop.set()

    @work(thread=True, group="store")
    def _prepare_store(self) -> None:
        """Store check-ins kept from earlier failed saves; apply retention."""
        from kiosk.desk.upkeep import prepare_store

        prepare_store(self.store, self.audit, self.settings)

    @work(thread=True, exclusive=True, group="retry")
    def retry_saves(self) -> None:
        """Store, in the background, check-ins whose save failed (held in this
        process's memory, or in the pending file)."""
        if self.store.held_in_memory() or self.store.pending_count():
            self.store.retry()

    def on_questionnaire_screen_submitted(self, event: QuestionnaireScreen.Submitted) -> None:
        # Every try of one visit carries the time of its first: the record
        # then always falls in the same day file, so a retry after midnight
        # replaces the first try instead of adding a second check-in.
        first_try = self._first_tries.setdefault(event.checkin_id, self.clock.now())
        self._save(event.answers, event.checkin_id, first_try, event.visit, self.language,
                   event.appointment, event.signature)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, answers: Answers, checkin_id: str, first_try: datetime,
              visit: VisitKind, language: str, appointment: dict[str, str] | None = None,
              signature: str = "") -> None:
        """Save off the UI thread; the result shows only once it is stored."""
        from kiosk.checkin.consents import agreements, documents_agreed
        from kiosk.checkin.record import new_record
        from kiosk.checkin.rules import flags, needs_front_desk, recommend
        from kiosk.desk.fhir import kept_questions, questionnaire_version
        from kiosk.files import StoreError
        from kiosk.store.contract import ConsentText

        # The record is in the clinic's own language, whichever the client
        # read (staff read it); the client reads the result in theirs. Every
        # language has the same rules, so both come to the same decision.
        asked, rules = self.content.visit(visit)
        _, shown_rules = self.content_in(language).visit(visit)
        found = flags(rules, answers)
        shown, _ = self.content_in(language).visit(visit)
        record = new_record(answers, recommend(rules, answers), found, first_try, checkin_id,
                            visit, language=language, appointment=appointment,
                            consents=agreements(shown, answers, language, first_try, signature),
                            questionnaire=questionnaire_version(asked))
        try:
            try:
                # The exact words agreed to (and the questions asked) are kept
                # before the check-in that points to them: a record never
                # names a text that is not there.
                for document in documents_agreed(shown, answers):
                    self.store.keep_consent_text(ConsentText(
                        document.version, document.id, language, document.title,
                        document.text))
                self.store.keep_consent_text(
                    kept_questions(asked, visit, self.settings.language))
            except StoreError:
                # The check-in is still kept (pending, if it can't be stored);
                # `kiosk doctor` keeps the text again from the content.
                self.store.add(record)
                raise
            self.store.add(record)
            if self.delivery is not None:
                self.delivery.wake.set()  # Sent on now, in the background.
        except (StoreError, ValueError):
            # The store keeps the check-in as pending; the client sees the desk.
            self.call_from_thread(self._save_failed, answers, checkin_id, first_try, visit,
                                  language, appointment, signature)
        else:
            self._tell_practitioner(record)
            notice = shown_rules.health_notice if needs_front_desk(found) else None
            self.call_from_thread(self._show_result, recommend(shown_rules, answers), notice,
                                  checkin_id, visit, language)

    @cached_property
    def outbox(self) -> Outbox | None:
        """Notices to practitioners, when the clinic set a webhook."""
        if self.settings.notify_webhook is None:
            return None
        from kiosk.notices import Outbox

        return Outbox(self.settings.data_dir, self.settings.notify_webhook, self.clock.now)

    def _tell_practitioner(self, record: StoredCheckIn) -> None:
        """A check-in matched to a booking: its notice goes in the outbox
        (sent in the background; a full disk here costs the notice, never
        the client's check-in, which is saved)."""
        from kiosk.notices import arrival_notice_for

        if self.outbox is None:
            return
        notice = arrival_notice_for(record, self.settings.language)
        if notice is not None:
            with suppress(OSError):
                self.outbox.put(notice)

    def start_background(self) -> None:
        """The threads that outlive a visit: delivery to the database, the
        outbox of notices, and (with no database) the schedule's feeds.
        Daemons: none holds up the kiosk's exit."""
        import threading

        if self.delivery is not None:
            threading.Thread(target=self.delivery.run, name="delivery", daemon=True).start()
        if self.outbox is not None:
            threading.Thread(target=self.outbox.run, name="notices", daemon=True).start()
        if self.settings.schedule and self.settings.database_url is None:
            from kiosk.desk.schedule import Refresher

            self.refresher = Refresher(self.store, self.settings.schedule,
                                       self.settings.schedule_refresh_minutes, self.clock.now)
            self.refresher.start()

    @cached_property
    def bookings(self) -> Bookings | None:
        """Where a client's name is looked up after the name page: None with
        no schedule; the shared database's functions (this kiosk's role reads
        nothing), or this kiosk's own store."""
        if not self.settings.schedule:
            return None
        if self.settings.database_url is not None:
            from kiosk.store.postgres.appointments import KioskBookings

            return KioskBookings(self.settings.database_url, self.settings.site)
        return self.store

    def _visit_on_screen(self, checkin_id: str) -> QuestionnaireScreen | None:
        """The questionnaire of this visit, if it is still what shows: a save
        that ends after the visit was wiped (left idle while the disk was
        slow) shows nothing to whoever is at the kiosk now."""
        from screens.questionnaire import QuestionnaireScreen

        screen = self.screen
        if isinstance(screen, QuestionnaireScreen) and screen.checkin_id == checkin_id:
            return screen
        return None

    def _save_failed(self, answers: Answers, checkin_id: str, first_try: datetime,
                     visit: VisitKind, language: str,
                     appointment: dict[str, str] | None = None, signature: str = "") -> None:
        from screens.dialogs.save_failed import SaveFailedScreen

        questionnaire = self._visit_on_screen(checkin_id)
        if questionnaire is None:
            return  # Kept as pending by the store; the client has gone.

        def retry(again: bool | None) -> None:
            if again:
                self._save(answers, checkin_id, first_try, visit, language, appointment,
                           signature)
            else:
                questionnaire.saving = False

        self.push_screen(SaveFailedScreen(words(language)), retry)

    def _show_result(self, recommendation: Recommendation, notice: str | None,
                     checkin_id: str, visit: VisitKind, language: str) -> None:
        from kiosk.web.qr import aftercare_url, at_home_url
        from screens.result import ResultScreen

        if self._visit_on_screen(checkin_id) is None:
            return  # Stored, as the client asked; they are gone, so nothing shows.
        # Back for another session: the guidance for between sessions. The
        # clinic's own language is at the top of the site, any other in its folder.
        url = (at_home_url if visit == "follow-up" else aftercare_url)(
            self.settings.aftercare_url, recommendation.type,
            None if language == self.settings.language else language)
        # Replacing the questionnaire drops the answers with it.
        self.switch_screen(ResultScreen(self.settings, recommendation, url=url, notice=notice,
                                        clock=self.clock, visit=visit, words=words(language)))
