"""The check-in: answer checks, how answers read back, and the saved record."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.kinds import (
    FIRST_NAME_MAX,
    NOT_ANSWERED,
    Question,
    clean_name,
    kind_of,
    name_problems,
)

__all__ = ["FIRST_NAME_MAX", "NOT_ANSWERED", "STATUSES", "STATUS_WAITING", "Answers", "Flag",
           "Recommendation", "Status", "clean_answers", "clean_name", "client_name",
           "describe", "empty_answer", "name_problems", "new_record", "problem"]

Answers = dict[str, Any]
"""Question id to answer: a name dict, an option id, a list of option ids,
an int on a scale, or True for consent."""


@dataclass(frozen=True)
class Status:
    """Where a client is in their visit, as staff read it."""

    label: str
    """In a sentence or a table: "With therapist"."""
    button: str
    """On the staff screen's button: "Therapist"."""
    key: str
    """The staff screen's key for it."""


STATUS_WAITING = "waiting"
STATUSES: dict[str, Status] = {
    STATUS_WAITING: Status("Waiting", "Waiting", "w"),
    "with_therapist": Status("With therapist", "Therapist", "t"),
    "done": Status("Done", "Done", "d"),
    "no_show": Status("No-show", "No-show", "n"),
}
"""The saved value of each status, in the order a visit goes."""


@dataclass(frozen=True)
class Flag:
    """An answer the front desk must see."""

    id: str
    kind: str
    question: str
    staff: str


@dataclass(frozen=True)
class Recommendation:
    """Which massage the kiosk recommends, and one line of why."""

    type: str
    name: str
    why: str


def empty_answer(question: Question) -> Any:
    """What a question holds before the client answers it."""
    return kind_of(question).empty(question)


def problem(question: Question, answer: Any) -> str | None:
    """Why this answer can't be accepted yet, in the client's words; or None."""
    return kind_of(question).problem(question, answer)


def describe(question: Question, answer: Any) -> str:
    """The answer as a person reads it back (plain text, never markup)."""
    return kind_of(question).describe(question, answer)


def clean_answers(questions: tuple[Question, ...], answers: Mapping[str, Any]) -> Answers:
    """Only the answers the questionnaire asks for, in its order, tidied."""
    return {
        question.id: kind_of(question).clean(
            question, answers.get(question.id, empty_answer(question)))
        for question in questions
    }


def new_record(
    answers: Answers,
    recommendation: Recommendation,
    flags: tuple[Flag, ...],
    now: datetime,
    checkin_id: str | None = None,
) -> dict[str, Any]:
    """A check-in as the store saves it."""
    created = now.astimezone(UTC)
    return {
        "id": checkin_id or str(uuid.uuid4()),
        "created_at": created.isoformat(timespec="seconds"),
        "answers": answers,
        "recommendation": asdict(recommendation),
        "flags": [asdict(flag) for flag in flags],
        "status": STATUS_WAITING,
    }


def client_name(record: Mapping[str, Any]) -> str:
    """A saved check-in's name as staff read it: "Zoë K."; "" if it has none."""
    for answer in record.get("answers", {}).values():
        if isinstance(answer, Mapping) and "first" in answer:
            first = str(answer.get("first", ""))
            initial = str(answer.get("last_initial", ""))
            return f"{first} {initial}." if initial else first
    return ""
