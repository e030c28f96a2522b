"""The check-in: answer checks, how answers read back, and the saved record."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.content import Question

Answers = dict[str, Any]
"""Question id to answer: a name dict, an option id, a list of option ids,
an int on a scale, or True for consent."""

STATUS_WAITING = "waiting"
STATUSES = {
    STATUS_WAITING: "Waiting",
    "with_therapist": "With therapist",
    "done": "Done",
    "no_show": "No-show",
}
"""Where a client is in their visit: saved value to what staff read."""
FIRST_NAME_MAX = 30
NOT_ANSWERED = "Not answered"


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
    if question.kind == "name":
        return {"first": "", "last_initial": ""}
    if question.kind == "multi":
        return []
    if question.kind == "consent":
        return False
    return None


def _name_character(character: str) -> bool:
    category = unicodedata.category(character)
    return category[0] in "LM" or character in " -'’."


def clean_name(first: str, last_initial: str) -> dict[str, str]:
    """The name as it is saved: NFC, spaces folded, the initial upper-case."""
    first = " ".join(unicodedata.normalize("NFC", first).split())
    initial = unicodedata.normalize("NFC", last_initial).strip().rstrip(".").upper()
    return {"first": first, "last_initial": initial}


def name_problems(first: str, last_initial: str) -> tuple[str | None, str | None]:
    """A friendly message for each name field that is not right, else None."""
    name = clean_name(first, last_initial)
    first, initial = name["first"], name["last_initial"]
    first_problem = None
    if not first:
        first_problem = "Please enter your first name."
    elif len(first) > FIRST_NAME_MAX:
        first_problem = f"Please keep it to {FIRST_NAME_MAX} letters or fewer."
    elif not all(_name_character(c) for c in first) or not any(c.isalpha() for c in first):
        first_problem = "Please use letters only (spaces, hyphens and apostrophes are fine)."
    initial_problem = None
    if not initial:
        initial_problem = "Please enter the first letter of your last name."
    elif len(initial) != 1 or not initial.isalpha():
        initial_problem = "Just one letter, please."
    return first_problem, initial_problem


def _on_scale(question: Question, answer: Any) -> bool:
    number = isinstance(answer, int) and not isinstance(answer, bool)
    return number and question.minimum <= answer <= question.maximum


def problem(question: Question, answer: Any) -> str | None:
    """Why this answer can't be accepted yet, in the client's words; or None."""
    kind = question.kind
    if kind == "name":
        first, initial = name_problems(answer.get("first", ""), answer.get("last_initial", ""))
        return first or initial
    if kind == "consent":
        if answer is not True:
            return (
                "We can only treat you with your consent. "
                "Tap the box to agree, or ask the front desk."
            )
        return None
    if not question.required and answer in (None, []):
        return None
    if kind == "single":
        if answer not in {option.id for option in question.options}:
            return "Please choose one answer."
    elif kind == "multi":
        ids = {option.id for option in question.options}
        if not answer:
            return "Please choose at least one answer."
        if not set(answer) <= ids:
            return "Please choose from the answers shown."
    elif kind == "scale" and not _on_scale(question, answer):
        return f"Please choose a number from {question.minimum} to {question.maximum}."
    return None


def describe(question: Question, answer: Any) -> str:
    """The answer as a person reads it back (plain text, never markup)."""
    kind = question.kind
    if kind == "name":
        name = clean_name(answer.get("first", ""), answer.get("last_initial", ""))
        if not name["first"]:
            return NOT_ANSWERED
        return f"{name['first']} {name['last_initial']}.".strip()
    if kind == "consent":
        return "Yes, agreed" if answer is True else "Not given"
    if answer is None or answer == []:
        return NOT_ANSWERED
    if kind == "single":
        return question.option(answer).label
    if kind == "multi":
        return ", ".join(question.option(option_id).label for option_id in answer)
    return f"{answer} out of {question.maximum}"


def clean_answers(questions: tuple[Question, ...], answers: Mapping[str, Any]) -> Answers:
    """Only the answers the questionnaire asks for, in its order, tidied."""
    cleaned: Answers = {}
    for question in questions:
        answer = answers.get(question.id, empty_answer(question))
        if question.kind == "name":
            answer = clean_name(answer.get("first", ""), answer.get("last_initial", ""))
        elif question.kind == "multi":
            # In the order the questionnaire lists them, whatever the tap order.
            answer = [option.id for option in question.options if option.id in answer]
        cleaned[question.id] = answer
    return cleaned


def new_record(
    answers: Answers,
    recommendation: Recommendation,
    flags: tuple[Flag, ...],
    now: datetime | None = None,
    checkin_id: str | None = None,
) -> dict[str, Any]:
    """A check-in as the store saves it."""
    created = (now or datetime.now(UTC)).astimezone(UTC)
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
