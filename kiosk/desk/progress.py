"""What the front desk reads at a glance: a client's progress over a series,
and today's arrivals, split and waits. Values and plain sentences; the
screens draw them."""

from __future__ import annotations

import contextlib
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kiosk.checkin.record import series_of
from kiosk.content.kinds import Question
from kiosk.content.model import Meaningful
from kiosk.desk.rows import answer_text, local_time, printable, status_label, type_label
from kiosk.i18n import ENGLISH, Words
from kiosk.schedule.day import Punctuality

PAIN = "pain"
"""The question both visits ask on the same 0-10 scale."""
PAIN_SCALE = (0, 10)
"""The chart's fixed scale: never fitted to the data."""
SINCE_LAST = "since_last"
AT_HOME = "at_home"


@dataclass(frozen=True)
class Session:
    """One row of a series' table."""

    number: int
    day: str
    """"Nov 3, 2026", in the language asked for."""
    pain: int | None
    since_last: str
    at_home: str
    status: str
    on: date | None = None
    """The local day, for a report in any language (ISO)."""


def scale_title(words: Words = ENGLISH) -> str:
    """What a chart of pain per session is drawn against, in words."""
    low, high = PAIN_SCALE
    return words._("Pain per session, on the {low}–{high} scale", low=low, high=high)


def _pain(record: Mapping[str, Any]) -> int | None:
    value = (record.get("answers") or {}).get(PAIN)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    low, high = PAIN_SCALE
    return value if low <= value <= high else None


def _answer(record: Mapping[str, Any], question_id: str,
            questions: Mapping[str, Question], words: Words) -> str:
    answers = record.get("answers") or {}
    if question_id not in answers:
        return "—"  # Not asked at that visit (a first visit has no since-last).
    return printable(answer_text(questions.get(question_id), answers[question_id], words), 30)


def sessions(records: Sequence[Mapping[str, Any]], questions: Sequence[Question],
             words: Words = ENGLISH) -> list[Session]:
    """A series' check-ins as table rows, in session order."""
    by_id = {question.id: question for question in questions}
    rows = []
    for record in records:
        linked = series_of(record)
        moment = local_time(record)
        rows.append(Session(
            number=linked[1] if linked else 0,
            day=words.day(moment.date()),
            pain=_pain(record),
            since_last=_answer(record, SINCE_LAST, by_id, words),
            at_home=_answer(record, AT_HOME, by_id, words),
            status=status_label(record, words),
            on=moment.date(),
        ))
    return sorted(rows, key=lambda row: row.number)


def pain_change(rows: Sequence[Session], words: Words = ENGLISH) -> str:
    """The change in words: "Pain 8 → 3 over 5 sessions"."""
    scored = [row for row in rows if row.pain is not None]
    n_ = words.n_
    if not scored:
        return n_("No pain score yet over {count} session",
                  "No pain score yet over {count} sessions", len(rows))
    first, last = scored[0], scored[-1]
    if first is last:
        return n_("Pain {pain} at session {number} ({count} session so far)",
                  "Pain {pain} at session {number} ({count} sessions so far)", len(rows),
                  pain=first.pain, number=first.number)
    return n_("Pain {first} → {last} over {count} session",
              "Pain {first} → {last} over {count} sessions", len(rows),
              first=first.pain, last=last.pain)


@dataclass(frozen=True)
class Change:
    """Pain at the latest scored session against the first."""

    first: Session
    last: Session
    points: int
    """last - first: negative is better."""
    percent: int | None
    """The change as a share of the first score, rounded (None: it was 0)."""
    meaningful: bool


def meets(first: int, now: int, rule: Meaningful) -> bool:
    """Whether pain `first` → `now` is a meaningful change: both at least
    `rule.points` and at least `rule.percent` of the first score (from 0,
    any rise is the whole of it)."""
    points = abs(now - first)
    share = 100.0 if first == 0 else 100 * points / first
    return points >= rule.points and share >= rule.percent


def pain_trend(rows: Sequence[Session], rule: Meaningful) -> Change | None:
    """The change from the first scored session to the last; None with
    fewer than two scored sessions."""
    scored = [row for row in rows if row.pain is not None]
    if len(scored) < 2:
        return None
    first, last = scored[0], scored[-1]
    assert first.pain is not None and last.pain is not None
    points = last.pain - first.pain
    percent = None if first.pain == 0 else round(100 * abs(points) / first.pain)
    return Change(first, last, points, percent, meets(first.pain, last.pain, rule))


def crossed(rows: Sequence[Session], rule: Meaningful) -> set[int]:
    """The sessions whose pain is a meaningful change from the first scored one."""
    scored = [row for row in rows if row.pain is not None]
    if not scored:
        return set()
    start = scored[0].pain
    assert start is not None
    return {row.number for row in scored[1:]
            if row.pain is not None and meets(start, row.pain, rule)}


def change_sentence(change: Change, words: Words = ENGLISH) -> str:
    """"Pain down 5 points (62%) since session 1: a meaningful improvement"."""
    _, n_ = words._, words.n_
    first = change.first.number
    if change.points == 0:
        return _("Pain unchanged since session {first}", first=first)
    share = f" ({change.percent}%)" if change.percent is not None else ""
    said = (n_("Pain down {count} point{share} since session {first}",
               "Pain down {count} points{share} since session {first}", -change.points,
               share=share, first=first) if change.points < 0 else
            n_("Pain up {count} point{share} since session {first}",
               "Pain up {count} points{share} since session {first}", change.points,
               share=share, first=first))
    if change.meaningful:
        verdict = (_("a meaningful improvement") if change.points < 0 else
                   _("a meaningful worsening"))
    else:
        verdict = (_("not a meaningful change yet") if change.points < 0 else
                   _("not a meaningful change"))
    return _("{change}: {verdict}", change=said, verdict=verdict)


def worse(change: Change | None) -> bool:
    """A meaningful worsening: the desk is told, as a flag."""
    return change is not None and change.meaningful and change.points > 0


def worse_ids(series: Mapping[str, Sequence[Mapping[str, Any]]],
              questions: Sequence[Question], rule: Meaningful | None) -> set[str]:
    """The check-ins at which their series is meaningfully worse than its
    first session: a flag for the desk (each series read ahead)."""
    if rule is None:
        return set()
    found = set()
    for records in series.values():
        rows = sessions(records, questions)
        start = next((row.pain for row in rows if row.pain is not None), None)
        if start is None:
            continue
        for record, row in zip(sorted(records, key=lambda r: (series_of(r) or ("", 0))[1]),
                               rows, strict=False):
            if row.pain is not None and row.pain > start and meets(start, row.pain, rule):
                found.add(str(record["id"]))
    return found


# -- Today at a glance ----------------------------------------------------------


@dataclass(frozen=True)
class Glance:
    """Today's arrivals, the spa/medical split and how long people waited."""

    arrivals: list[tuple[int, int]]
    """(hour, check-ins) from the first arrival's hour to the last's."""
    types: list[tuple[str, int]]
    """(massage type in a word, check-ins), most first."""
    waits: list[float]
    """Minutes from check-in to "with therapist", for those who got there."""
    still_waiting: list[float]
    """Minutes waited so far by those still waiting."""
    followups: int = 0

    @property
    def total(self) -> int:
        return sum(count for _, count in self.arrivals)


def _minutes(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds() / 60)


def glance(records: Sequence[Mapping[str, Any]], now: datetime,
           words: Words = ENGLISH) -> Glance:
    """Today's figures from today's check-ins (the types named in `words`)."""
    hours: Counter[int] = Counter()
    types: Counter[str] = Counter()
    waits: list[float] = []
    still: list[float] = []
    followups = 0
    for record in records:
        arrived = local_time(record)
        hours[arrived.hour] += 1
        types[type_label(record, words) or "?"] += 1
        followups += record.get("visit") == "follow-up"
        started = record.get("started_at") or (
            record.get("status_at") if record.get("status") == "with_therapist" else None)
        if isinstance(started, str):
            with contextlib.suppress(ValueError):
                waits.append(_minutes(arrived, datetime.fromisoformat(started)))
        elif record.get("status") == "waiting":
            still.append(_minutes(arrived, now))
    arrivals = ([(hour, hours[hour]) for hour in range(min(hours), max(hours) + 1)]
                if hours else [])
    return Glance(arrivals, types.most_common(), waits, still, followups)


def _duration(minutes: float, words: Words) -> str:
    whole = round(minutes)
    if whole < 60:
        return words.n_("{count} minute", "{count} minutes", whole)
    return words._("{hours} h {minutes} min", hours=whole // 60, minutes=f"{whole % 60:02d}")


def glance_sentences(figures: Glance, words: Words = ENGLISH) -> list[str]:
    """Every figure of the glance in words: the charts never carry it alone."""
    _, n_ = words._, words.n_
    if not figures.total:
        return [_("No check-ins yet today.")]
    busiest = max(figures.arrivals, key=lambda pair: pair[1])
    lines = [
        n_("{count} check-in today, {followups} of them follow-ups; the busiest hour was "
           "{hour}:00 with {busiest}.",
           "{count} check-ins today, {followups} of them follow-ups; the busiest hour was "
           "{hour}:00 with {busiest}.", figures.total, followups=figures.followups,
           hour=f"{busiest[0]:02d}", busiest=busiest[1]),
        _("Massage: {split}.", split=words.list(
            _("{type} {count} ({percent}%)", type=name, count=count,
              percent=round(100 * count / figures.total)) for name, count in figures.types)),
    ]
    if figures.waits:
        lines.append(n_(
            "Waited before their session: median {median}, longest {longest} ({count} client).",
            "Waited before their session: median {median}, longest {longest} ({count} clients).",
            len(figures.waits), median=_duration(statistics.median(figures.waits), words),
            longest=_duration(max(figures.waits), words)))
    else:
        lines.append(_("Nobody has gone in with a therapist yet today."))
    if figures.still_waiting:
        lines.append(n_("Waiting now: {count} client, the longest for {longest}.",
                        "Waiting now: {count} clients, the longest for {longest}.",
                        len(figures.still_waiting),
                        longest=_duration(max(figures.still_waiting), words)))
    return lines


def punctuality_sentence(figures: Punctuality, words: Words = ENGLISH) -> str:
    """The day against its bookings, in words."""
    _ = words._
    late = (_(", {late} late (median {median} late)", late=figures.late,
              median=_duration(figures.median_late_minutes, words))
            if figures.late and figures.median_late_minutes is not None else
            _(", {late} late", late=figures.late))
    return _("Against the bookings: {on_time} arrived on time{late}, {not_yet} not here yet, "
             "{no_show} did not show.", on_time=figures.on_time, late=late,
             not_yet=figures.not_yet, no_show=figures.no_show)
