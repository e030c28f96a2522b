"""Check-ins as the kiosk saves them, made by the real rules."""

from __future__ import annotations

from datetime import datetime

from kiosk.checkin.consents import agreements
from kiosk.checkin.record import clean_answers, new_record
from kiosk.checkin.rules import flags, recommend
from kiosk.content.model import load_content
from tests.support.clock import FIXED_NOW
from tests.support.visit import SPA_VISIT

CONTENT = load_content()


def checkin(first: str = "Ann", when: datetime = FIXED_NOW, *,
            answers: dict | None = None, **extra: object) -> dict:
    """A check-in as the kiosk would save it, made at `when`: a spa visit,
    but for `answers`, recommended and flagged by the real rules."""
    given = clean_answers(CONTENT.questions, {
        **SPA_VISIT, "name": {"first": first, "last_initial": "K"}, **(answers or {})})
    record = new_record(given, recommend(CONTENT.rules, given), flags(CONTENT.rules, given),
                        now=when, consents=agreements(CONTENT.questions, given, "en", when))
    record.update(extra)
    return record
