"""The check-in: answer checks, how answers read back, and the saved record."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Required, TypedDict

from kiosk.content.kinds import (
    FIRST_NAME_MAX,
    NOT_ANSWERED,
    Question,
    clean_name,
    kind_of,
    name_problems,
)
from kiosk.content.model import FLAG_KINDS, VISIT_KINDS, VisitKind
from kiosk.i18n import NP_, Msg

__all__ = ["FIRST_NAME_MAX", "NOT_ANSWERED", "STATUSES", "STATUS_WAITING", "Answers", "Flag",
           "Recommendation", "Status", "clean_answers", "clean_name", "client_name",
           "describe", "empty_answer", "name_key", "name_problems", "new_record", "problem",
           "series_of", "visit_of"]

Answers = dict[str, Any]
"""Question id to answer: a name dict, an option id, a list of option ids,
an int on a scale, or True for consent."""


@dataclass(frozen=True)
class Status:
    """Where a client is in their visit, as staff read it."""

    label: str
    """In a sentence or a table: "With therapist" (translated with
    `Words.p_("status", label)`)."""
    button: str
    """On the staff screen's button: "Therapist"."""
    key: str
    """The staff screen's key for it."""


STATUS_WAITING = "waiting"
STATUSES: dict[str, Status] = {
    STATUS_WAITING: Status(NP_("status", "Waiting"), NP_("status", "Waiting"), "w"),
    "with_therapist": Status(NP_("status", "With therapist"), NP_("status", "Therapist"), "t"),
    "done": Status(NP_("status", "Done"), NP_("status", "Done"), "d"),
    "no_show": Status(NP_("status", "No-show"), NP_("status", "No-show"), "n"),
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


def problem(question: Question, answer: Any) -> Msg | None:
    """Why this answer can't be accepted yet, in the client's words; or None."""
    return kind_of(question).problem(question, answer)


def describe(question: Question, answer: Any) -> Msg:
    """The answer as a person reads it back (said as plain text, never markup)."""
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
    visit: VisitKind = "first",
    *,
    language: str | None = None,
    appointment: Mapping[str, str] | None = None,
    consents: list[dict[str, str]] | None = None,
    questionnaire: str | None = None,
) -> StoredCheckIn:
    """A check-in as the store saves it: option ids, never a language's
    words, and the language the client read (None: not recorded), and the
    booking it was matched to (None: no schedule to match against)."""
    created = now.astimezone(UTC)
    record: StoredCheckIn = {
        "id": checkin_id or str(uuid.uuid4()),
        "created_at": created.isoformat(timespec="seconds"),
        "answers": answers,
        "recommendation": asdict(recommendation),
        "flags": [asdict(flag) for flag in flags],
        "status": STATUS_WAITING,
        "visit": visit,
    }
    if language:
        record["language"] = language
    if appointment is not None:
        record["appointment"] = dict(appointment)
    if consents:
        record["consents"] = consents
    if questionnaire:
        record["questionnaire"] = questionnaire
    return record


def visit_of(record: Mapping[str, Any]) -> VisitKind:
    """"first" or "follow-up" (records from before follow-ups are first visits)."""
    return "follow-up" if record.get("visit") == "follow-up" else "first"


def series_of(record: Mapping[str, Any]) -> tuple[str, int] | None:
    """The series id and session number of a linked check-in, or None."""
    series, session = record.get("series"), record.get("session")
    if isinstance(series, str) and isinstance(session, int):
        return series, session
    return None


def _name_parts(record: Mapping[str, Any]) -> tuple[str, str] | None:
    """The first name and last initial a check-in holds, as saved; None if
    it has none (or its answers are not a table: a damaged record)."""
    answers = record.get("answers")
    if not isinstance(answers, Mapping):
        return None
    for answer in answers.values():
        if isinstance(answer, Mapping) and "first" in answer:
            return str(answer.get("first", "")), str(answer.get("last_initial", ""))
    return None


def name_key(record: Mapping[str, Any]) -> str:
    """What link suggestions match on: first name and last initial, in any
    case; "" for a check-in with no name."""
    first, initial = _name_parts(record) or ("", "")
    first = " ".join(first.split()).casefold()
    return f"{first}|{initial.strip().casefold()}" if first else ""


def client_name(record: Mapping[str, Any]) -> str:
    """A saved check-in's name as staff read it: "Zoë K."; "" if it has none."""
    first, initial = _name_parts(record) or ("", "")
    return f"{first} {initial}." if initial else first


# -- The record's schema, checked at every door ------------------------------------

class StoredCheckIn(TypedDict, total=False):
    """A check-in as both stores keep it (the data format guide, docs/data.md).
    `check_record` proves a mapping read back is one; JSON is its only codec."""

    id: Required[str]
    """A uuid, made when the check-in is first saved."""
    created_at: Required[str]
    """When the client checked in: ISO 8601 with its offset."""
    answers: Required[dict[str, Any]]
    """Question id to answer, in the shape its kind stores."""
    recommendation: Required[dict[str, str]]
    """`type` (an id), `name` and `why`, as the client read them."""
    flags: Required[list[dict[str, str]]]
    """What the front desk must see: each with its `id` and `text`."""
    status: Required[str]
    """One of `STATUSES`."""
    status_at: str
    started_at: str
    """When the client went in with their therapist, the first time."""
    visit: str
    """"first" or "follow-up"."""
    series: str
    session: int
    language: str
    site: str
    questionnaire: str
    """The version of the questions asked (the SHA-256 of their definition):
    FHIR's QuestionnaireResponse points to it."""
    consents: list[dict[str, str]]
    """Each consent document the client agreed to: `document` (its id),
    `title`, `version` (the SHA-256 of the exact text shown), `language`,
    `at`, and `typed_name` where the clinic asks for a typed signature.
    Absent on check-ins from before documents were kept: "text not recorded"."""
    appointment: dict[str, str]
    """The booking the client was matched to: `id` (a booking's, or "" for
    "No appointment found"), `starts_at`, `ends_at`, `practitioner`,
    `service`, and `matched_by` ("kiosk", "desk" or "none")."""


_RECORD_KEYS = frozenset(StoredCheckIn.__annotations__)
MOST_SESSIONS = 10_000
"""More sessions than any series has: a larger number is a damaged record."""


class BadRecord(ValueError):
    """A check-in that is not of the stored shape; names the field, never a value."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"check-in field '{field}' {problem}")
        self.field = field


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _is_uuid(value: Any) -> bool:
    """Whether `value` is a uuid as text (the canonical form at once; any
    other `uuid.UUID` reads, such as upper case, the slow way)."""
    if not isinstance(value, str):
        return False
    if _CANONICAL_UUID.fullmatch(value):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _moment(record: Mapping[str, Any], field: str) -> datetime:
    value = record.get(field)
    if not isinstance(value, str):
        raise BadRecord(field, "is not a date and time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadRecord(field, "is not an ISO date and time") from None
    if moment.tzinfo is None:
        raise BadRecord(field, "has no time zone")
    return moment


def _shown(name: object) -> str:
    """A field name from a file, safe to print: escapes, never raw controls."""
    return ascii(str(name))[1:-1][:40]


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


_NAME_PARTS = {"first", "last_initial"}


def _answer_ok(answer: Any) -> bool:
    # By exact type: what JSON gives back (checked on every read, so cheap).
    kind = type(answer)
    if kind is str or kind is bool or answer is None:
        return True
    if kind is int:
        return bool(-1_000_000 < answer < 1_000_000)
    if kind is list:
        return all(type(item) is str for item in answer)
    if kind is dict:
        return answer.keys() == _NAME_PARTS and all(
            type(part) is str for part in answer.values())
    return False


Questions = Mapping[str, Question]
"""The content's questions by id: what a record's answers are checked against."""


def check_answers(record: Mapping[str, Any], questions: Questions) -> None:
    """Raise `BadRecord` if an answer to a question the content asks is not
    of a shape that question's kind allows (`"lots"` for a 0 to 10 scale). An
    answer to a question the content no longer has is left as it is."""
    answers = record.get("answers")
    for question_id, answer in (answers.items() if isinstance(answers, Mapping) else ()):
        question = questions.get(question_id)
        if question is not None and not kind_of(question).fits(question, answer):
            raise BadRecord(f"answers.{_shown(question_id)}",
                            f"is not an answer a {question.kind} question allows")


def check_record(record: Any, questions: Questions | None = None) -> None:
    """Raise `BadRecord` unless `record` has the shape a check-in is stored in.

    Checked when a record is written and again when it is read: a hand-edited
    or damaged record is skipped and reported, never drawn or exported.
    """
    if not isinstance(record, Mapping):
        raise BadRecord("(record)", "is not a table of fields")
    extra = record.keys() - _RECORD_KEYS
    if extra:
        raise BadRecord(_shown(sorted(extra, key=str)[0]), "is not a check-in field")
    if not _is_uuid(record.get("id")):
        raise BadRecord("id", "is not a uuid")
    _moment(record, "created_at")
    for moment in ("status_at", "started_at"):
        if moment in record:
            _moment(record, moment)
    answers = record.get("answers")
    if not isinstance(answers, dict) or not all(type(key) is str for key in answers):
        raise BadRecord("answers", "is not a table of answers")
    for question_id, answer in answers.items():
        if not _answer_ok(answer):
            raise BadRecord(f"answers.{_shown(question_id)}", "is not an answer")
    recommendation = record.get("recommendation")
    if not isinstance(recommendation, dict) or not all(
            _is_text(recommendation.get(key)) for key in ("type", "name", "why")):
        raise BadRecord("recommendation", "needs a type, a name and a why, as text")
    flags = record.get("flags")
    if not isinstance(flags, list):
        raise BadRecord("flags", "is not a list")
    for flag in flags:
        if not isinstance(flag, dict) or flag.get("kind") not in FLAG_KINDS or not all(
                _is_text(flag.get(key)) for key in ("id", "question", "staff")):
            raise BadRecord("flags", "holds a flag that is not of the stored shape")
    if record.get("status") not in STATUSES:
        raise BadRecord("status", f"is not one of {', '.join(STATUSES)}")
    if "visit" in record and record["visit"] not in VISIT_KINDS:
        raise BadRecord("visit", f"is not one of {', '.join(VISIT_KINDS)}")
    language = record.get("language", "en")
    if not (isinstance(language, str) and 0 < len(language) <= 8 and language.isascii()
            and language.replace("-", "").isalnum()):
        raise BadRecord("language", "is not a language code")
    site = record.get("site", "main")
    if not (isinstance(site, str) and 0 < len(site) <= 40 and site.isprintable()):
        raise BadRecord("site", "is not a site's name")
    if ("series" in record) != ("session" in record):
        raise BadRecord("series", "and 'session' must be given together")
    if "series" in record:
        if not _is_uuid(record["series"]):
            raise BadRecord("series", "is not a uuid")
        session = record["session"]
        if isinstance(session, bool) or not isinstance(session, int) or not (
                0 < session <= MOST_SESSIONS):
            raise BadRecord("session", f"is not a whole number from 1 to {MOST_SESSIONS}")
    if "appointment" in record:
        _check_appointment(record["appointment"])
    if "consents" in record:
        _check_consents(record["consents"])
    if "questionnaire" in record and not _VERSION.fullmatch(str(record["questionnaire"])):
        raise BadRecord("questionnaire", "is not a version (a SHA-256 in hex)")
    if questions:
        check_answers(record, questions)


_CONSENT_KEYS = frozenset({"document", "title", "version", "language", "at", "typed_name"})
_VERSION = re.compile(r"[0-9a-f]{64}")


def _check_consents(value: Any) -> None:
    if not isinstance(value, list) or len(value) > 20:
        raise BadRecord("consents", "is not a list of agreements")
    for agreed in value:
        if not isinstance(agreed, dict) or not agreed.keys() <= _CONSENT_KEYS or not all(
                type(part) is str and len(part) <= 200 for part in agreed.values()):
            raise BadRecord("consents", "holds an agreement not of the stored shape")
        if not _VERSION.fullmatch(agreed.get("version", "")) or not agreed.get("document"):
            raise BadRecord("consents", "holds an agreement with no document or version")
        _moment(agreed, "at")


MATCHED_BY = ("kiosk", "desk", "none")
_BOOKING_KEYS = frozenset({"id", "starts_at", "ends_at", "practitioner", "service",
                           "matched_by"})


def _check_appointment(value: Any) -> None:
    if not isinstance(value, dict) or not value.keys() <= _BOOKING_KEYS or not all(
            type(part) is str and len(part) <= 200 for part in value.values()):
        raise BadRecord("appointment", "is not a booking of the stored shape")
    if value.get("matched_by") not in MATCHED_BY:
        raise BadRecord("appointment", f"'matched_by' is not one of {', '.join(MATCHED_BY)}")
    if value.get("id"):
        for moment in ("starts_at", "ends_at"):
            _moment(value, moment)
