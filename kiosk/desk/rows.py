"""What the front desk reads: queue rows, the detail of a check-in, exports.

Pure functions over saved records. Whatever a client typed is data here:
control characters and bidi overrides are shown as visible symbols, and
nothing is ever formatted into markup.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TextIO

from kiosk.checkin.consents import LEGACY
from kiosk.checkin.record import NOT_ANSWERED, STATUSES, client_name, describe, visit_of
from kiosk.content.model import Question
from kiosk.i18n import ENGLISH, N_, Words, language_name

FLAG_MARKS = {"health": N_("⚠ Health"), "desk": N_("! Desk")}
"""Flag kinds as staff read them: a symbol and a word, never colour alone."""
NO_NAME = N_("(no name)")
"""Where a check-in or a booking has no name to show."""

# Text direction controls would reorder the rest of the line around them.
_BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def printable(text: object, limit: int | None = None) -> str:
    """Text safe to put on screen as it is: C0 controls become their control
    pictures (ESC shows as ␛), other controls and direction overrides become
    �; longer than `limit` characters ends in …."""
    shown = []
    for character in str(text):
        code = ord(character)
        if code < 0x20:
            shown.append(chr(0x2400 + code))
        elif code == 0x7F:
            shown.append("\u2421")
        elif character in _BIDI_CONTROLS or unicodedata.category(character) == "Cc":
            shown.append("\ufffd")
        else:
            shown.append(character)
    result = "".join(shown)
    if limit is not None and len(result) > limit:
        result = result[: max(limit - 1, 0)] + "…"
    return result


def local_time(record: Mapping[str, Any]) -> datetime:
    """When a check-in was made, in the machine's time zone."""
    return datetime.fromisoformat(record["created_at"]).astimezone()


def arrival(record: Mapping[str, Any], today: date, *, short: bool = False,
            words: Words = ENGLISH) -> str:
    """"14:30" for today's check-ins, "Nov 3, 2026 14:30" for older ones
    ("2026-11-03" if `short`), in `words`' language."""
    moment = local_time(record)
    if moment.date() == today:
        return words.clock(moment)
    if short:
        return moment.date().isoformat()
    return words.day_time(moment)


def flag_marks(record: Mapping[str, Any], words: Words = ENGLISH) -> str:
    """"⚠ Health ! Desk", one mark per kind present; "" if none."""
    kinds = {flag.get("kind") for flag in record.get("flags", []) if isinstance(flag, Mapping)}
    return " ".join(words._(mark) for kind, mark in FLAG_MARKS.items() if kind in kinds)


def status_label(record: Mapping[str, Any], words: Words = ENGLISH) -> str:
    """Where the client is, in words: "With therapist"."""
    status = str(record.get("status", ""))
    known = STATUSES.get(status)
    return words.p_("status", known.label) if known else printable(status, 20)


TYPES = {"spa": N_("Spa"), "medical": N_("Medical")}
"""The massage types the rules recommend, in a word."""


def type_label(record: Mapping[str, Any], words: Words = ENGLISH) -> str:
    """The recommended massage in a word: "Spa", "Medical"."""
    recommendation = record.get("recommendation") or {}
    kind = str(recommendation.get("type") or "")
    return words._(TYPES[kind]) if kind in TYPES else printable(kind.capitalize(), 12)


def booking_text(record: Mapping[str, Any], *, long: bool = False,
                 words: Words = ENGLISH) -> str:
    """A check-in's booking as the desk reads it: "14:30 Maya · Sports
    massage"; "No appointment found" where the kiosk looked and found none;
    "" where there is no schedule. `long`: with how late the client came."""
    appointment = record.get("appointment")
    if not isinstance(appointment, Mapping):
        return ""
    if not appointment.get("id"):
        return words._("No appointment found")
    try:
        start = datetime.fromisoformat(str(appointment["starts_at"])).astimezone()
    except (KeyError, ValueError):
        return "?"
    said = f"{words.clock(start)} {printable(appointment.get('practitioner', ''), 20)}".strip()
    if appointment.get("service"):
        said += f" · {printable(appointment['service'], 30)}"
    if long:
        from kiosk.schedule.matching import minutes_late

        late = minutes_late(record)
        if late is not None:
            said += (words._(", {minutes} min late", minutes=late) if late > 0 else
                     words._(", {minutes} min early", minutes=-late) if late < 0 else
                     words._(", on time"))
        if appointment.get("matched_by") == "desk":
            said += words._(" (matched at the desk)")
    return said


def agreed_lines(record: Mapping[str, Any], words: Words = ENGLISH) -> list[str]:
    """The consent as the desk reads it: "Agreed to Treatment consent
    (version 3f2a91c0, Español) at 14:22"; a check-in from before texts were
    kept: "consent: yes, text not recorded"."""
    consents = record.get("consents")
    if not isinstance(consents, list) or not consents:
        answers = record.get("answers") or {}
        legacy = words._(LEGACY)
        return [legacy] if any(value is True for value in answers.values()) else []
    lines = []
    for agreed in consents:
        at = datetime.fromisoformat(agreed["at"]).astimezone()
        said = words._("Agreed to {title} (version {version}, {language}) at {time}",
                       title=printable(agreed.get("title") or agreed["document"], 60),
                       version=agreed["version"][:8],
                       language=language_name(str(agreed.get("language", ""))),
                       time=words.clock(at))
        if agreed.get("typed_name"):
            said += words._(", signed \u201c{name}\u201d",
                            name=printable(agreed["typed_name"], 60))
        lines.append(said)
    return lines


@dataclass(frozen=True)
class QueueRow:
    """One line of the staff table."""

    id: str
    arrived: str
    name: str
    type: str
    flags: str
    status: str
    visit: str
    """"Follow-up" for a client back for another session; "" for a first visit."""
    booking: str = ""
    """The booking the check-in was matched to (see `booking_text`)."""


def queue_row(record: Mapping[str, Any], today: date, name_width: int = 20,
              words: Words = ENGLISH) -> QueueRow:
    return QueueRow(
        booking=booking_text(record, words=words),
        id=str(record["id"]),
        arrived=arrival(record, today, short=True, words=words),
        name=printable(client_name(record), name_width) or words._(NO_NAME),
        type=type_label(record, words),
        flags=flag_marks(record, words),
        status=status_label(record, words),
        visit=words._("Follow-up") if visit_of(record) == "follow-up" else "",
    )


@dataclass(frozen=True)
class DetailLine:
    """One answer in the detail pane."""

    label: str
    answer: str
    flag: str = ""
    """What staff must know about this answer (the flag's text), if flagged."""


def answer_text(question: Question | None, answer: Any, words: Words = ENGLISH) -> str:
    """An answer as people read it, in `words`' language (its labels are the
    content's, in the language the content was read in)."""
    if question is not None:
        try:
            return words.say(describe(question, answer))
        except (KeyError, AttributeError, TypeError, ValueError):
            pass  # Saved under other content: show the raw answer.
    if answer in (None, [], ""):
        return words.say(NOT_ANSWERED)
    if isinstance(answer, Mapping):
        return " ".join(str(value) for value in answer.values())
    if isinstance(answer, list):
        return ", ".join(str(value) for value in answer)
    return str(answer)


def detail_lines(record: Mapping[str, Any], questions: Sequence[Question],
                 own_language: str = "en",
                 archive: Mapping[str, str] | None = None,
                 words: Words = ENGLISH) -> list[DetailLine]:
    """Every answer, flagged answers first (in question order within each);
    first of all, the language the client read, if not the clinic's own. A
    consent answer says what was agreed to (`archive`: a kept text's version
    to what is wrong with it, "missing" or "damaged")."""
    by_id = {question.id: question for question in questions}
    flagged: dict[str, list[str]] = {}
    for flag in record.get("flags", []):
        if isinstance(flag, Mapping):
            mark = FLAG_MARKS.get(str(flag.get("kind")))
            flagged.setdefault(str(flag.get("question")), []).append(
                f"{words._(mark) if mark else '!'}: {printable(flag.get('staff', ''))}")
    lines = []
    booked = booking_text(record, long=True, words=words)
    if booked:
        lines.append(DetailLine(label=words._("Appointment"), answer=booked))
    language = record.get("language")
    if isinstance(language, str) and language != own_language:
        lines.append(DetailLine(label=words._("Language"),
                                answer=printable(language_name(language))))
    for question_id, answer in (record.get("answers") or {}).items():
        question = by_id.get(question_id)
        label = question.short if question else question_id
        said = printable(answer_text(question, answer, words))
        if question is not None and question.kind == "consent" and answer is True:
            said = "; ".join(_with_archive(record, archive or {}, words)) or said
        lines.append(DetailLine(
            label=printable(label),
            answer=said,
            flag="; ".join(flagged.get(question_id, [])),
        ))
    return sorted(lines, key=lambda line: not line.flag)


def _with_archive(record: Mapping[str, Any], archive: Mapping[str, str],
                  words: Words) -> list[str]:
    consents = record.get("consents") if isinstance(record.get("consents"), list) else []
    versions = [str(agreed.get("version", "")) for agreed in consents or []]
    problems = {"missing": words._(" (⚠ its text is missing from the archive: run "
                                   "`kiosk doctor`)"),
                "damaged": words._(" (⚠ its text is damaged in the archive: run "
                                   "`kiosk doctor`)")}
    return [line + (problems.get(archive[version], problems["damaged"])
                    if version in archive else "")
            for line, version in zip(agreed_lines(record, words), versions or [""],
                                     strict=False)]


# -- Exports ------------------------------------------------------------------


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula
    (= + - @, tab, CR) gets a leading apostrophe, as OWASP advises."""
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell


RECORD_COLUMNS = ("id", "created_at", "client", "recommendation", "flags", "status", "visit",
                  "series", "session", "language", "site", "appointment", "practitioner",
                  "arrival", "minutes_late")
"""The CSV's first columns; one column per question follows."""


def export_columns(questions: Sequence[Question]) -> list[str]:
    """The CSV header: every name once. A question whose id is taken by one of
    the record's own columns gets "answer:" before it."""
    return [*RECORD_COLUMNS, *(
        f"answer:{question.id}" if question.id in RECORD_COLUMNS else question.id
        for question in questions)]


def export_row(record: Mapping[str, Any], questions: Sequence[Question]) -> list[str]:
    """A check-in as one CSV row: answers as people read them, nothing hidden."""
    answers = record.get("answers") or {}
    flags = "; ".join(
        f"{flag.get('kind')}: {flag.get('staff')}" for flag in record.get("flags", [])
        if isinstance(flag, Mapping))
    recommendation = record.get("recommendation") or {}
    return [
        str(record.get("id", "")),
        str(record.get("created_at", "")),
        client_name(record),
        str(recommendation.get("type", "")),
        flags,
        str(record.get("status", "")),
        visit_of(record),
        str(record.get("series", "")),
        str(record.get("session", "")),
        str(record.get("language", "")),
        str(record.get("site", "")),
        *_booking_cells(record),
        *(answer_text(question, answers.get(question.id)) for question in questions),
    ]


def _booking_cells(record: Mapping[str, Any]) -> list[str]:
    """The booking's id, its practitioner, "on time", "late" or "early"
    (or "none found"), and the minutes late (negative: early)."""
    from kiosk.schedule.day import LATE_AFTER
    from kiosk.schedule.matching import booked, minutes_late

    appointment = booked(record)
    if appointment is None:
        marked = isinstance(record.get("appointment"), Mapping)
        return ["", "", "none found" if marked else "", ""]
    late = minutes_late(record)
    limit = LATE_AFTER.total_seconds() / 60
    arrival = ("" if late is None else "late" if late > limit else "early" if late < 0
               else "on time")
    return [str(appointment.get("id", "")), str(appointment.get("practitioner", "")), arrival,
            "" if late is None else str(late)]


def write_csv(records: Iterable[Mapping[str, Any]], questions: Sequence[Question],
              out: TextIO) -> int:
    """Write check-ins as CSV (every cell quoted, formulas defused); returns
    how many. Open `out` with newline="" so embedded newlines survive."""
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(export_columns(questions))
    count = 0
    for record in records:
        writer.writerow([spreadsheet_safe(cell) for cell in export_row(record, questions)])
        count += 1
    return count


def write_json(records: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    """Write check-ins exactly as stored, as a JSON list; returns how many."""
    listed = list(records)
    json.dump(listed, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(listed)


def export_text(records: Sequence[Mapping[str, Any]], questions: Sequence[Question],
                kind: str) -> str:
    """The whole export as text ("csv" or "json")."""
    out = io.StringIO(newline="")
    if kind == "csv":
        write_csv(records, questions, out)
    else:
        write_json(records, out)
    return out.getvalue()
