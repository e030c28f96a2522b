"""Visits of one client, for series and their pain."""

from __future__ import annotations

from datetime import timedelta

from kiosk.checkin.record import new_record
from kiosk.checkin.rules import flags, recommend
from kiosk.content.model import Content, load_content
from tests.support.clock import FIXED_NOW

CONTENT = load_content()


def visit(first: str, initial: str, days_ago: float, pain: int, *,
          since: str = "better", follow_up: bool = True, content: Content = CONTENT) -> dict:
    """A visit as the kiosk saves it, through the real rules (of `content`:
    a clinic's own language)."""
    kind = "follow-up" if follow_up else "first"
    questions, rules = content.visit(kind)
    answers = {"name": {"first": first, "last_initial": initial}, "pain": pain,
               "focus": ["neck"], "health": ["none"], "consent": True}
    if follow_up:
        answers.update(since_last=since, at_home="did")
    else:
        answers.update(reasons=["chronic_pain"], injury="none", referral="no",
                       avoid=["nothing"], pressure="medium", experience="before")
    answers = {question.id: answers[question.id] for question in questions}
    return new_record(answers, recommend(rules, answers), flags(rules, answers),
                      FIXED_NOW - timedelta(days=days_ago), visit=kind)
