"""Matching an arrival to its booking, privately.

The kiosk asks for the appointments open now (in the arrival window, not
yet matched) that carry the client's first name and last initial, and
those that carry no name at all. It is given them as `Slot`s: a time, a
practitioner and a service, never anyone's name. Then:

- one booking with the name: it is theirs;
- several: the client picks by time and practitioner (asked first for the
  second identifier, where the source has one, which may settle it);
- none with the name, but bookings without names: the client picks from
  those by time and practitioner, or "None of these";
- nothing: the visit goes on, marked "No appointment found".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from kiosk.schedule.model import Appointment

SecondKind = Literal["", "phone", "birth"]


@dataclass(frozen=True)
class Window:
    """When a client may check in for a booking: from `before` its start to
    `after` it (`arrival_window`, in minutes, in kiosk.toml)."""

    before: timedelta = timedelta(minutes=60)
    after: timedelta = timedelta(minutes=30)

    def holds(self, starts_at: datetime, now: datetime) -> bool:
        return starts_at - self.before <= now <= starts_at + self.after

    def span(self, now: datetime) -> tuple[datetime, datetime]:
        """The starts of the bookings open at `now`: from `now - after` to `now + before`."""
        return now - self.after, now + self.before


@dataclass(frozen=True)
class Slot:
    """A booking as the public screen may know it: no one's name."""

    id: str
    starts_at: datetime
    ends_at: datetime
    practitioner: str
    service: str
    named: bool
    """The booking carries a name (and so was offered because it is this
    client's); False: one of the window's bookings without names."""
    has_phone: bool = False
    has_birth: bool = False

    @staticmethod
    def of(appointment: Appointment) -> Slot:
        return Slot(appointment.id, appointment.starts_at, appointment.ends_at,
                    appointment.practitioner, appointment.service, appointment.named,
                    bool(appointment.phone_last4), bool(appointment.birth_day_month))

    def to_record(self, how: str) -> dict[str, str]:
        """What a check-in keeps of its booking (`how`: "kiosk" or "desk")."""
        return {"id": self.id, "starts_at": self.starts_at.isoformat(),
                "ends_at": self.ends_at.isoformat(), "practitioner": self.practitioner,
                "service": self.service, "matched_by": how}


def open_slots(appointments: Iterable[Appointment], key: str, now: datetime, window: Window,
               taken: set[str]) -> list[Slot]:
    """The bookings open at `now` (in the window, not matched yet) with this
    name key, and those with no name; by start."""
    found = [Slot.of(appointment) for appointment in appointments
             if appointment.id not in taken and window.holds(appointment.starts_at, now)
             and (not appointment.named or (key and appointment.key == key))]
    return sorted(found, key=lambda slot: (slot.starts_at, slot.practitioner, slot.id))


def second_matches(appointments: Iterable[Appointment], ids: Iterable[str],
                   kind: SecondKind, value: str) -> set[str]:
    """Which of these bookings carry this second identifier."""
    wanted = set(ids)
    field = "phone_last4" if kind == "phone" else "birth_day_month"
    return {appointment.id for appointment in appointments
            if appointment.id in wanted and value and getattr(appointment, field) == value}


class Bookings(Protocol):
    """Where the kiosk looks a name up: a store, or, for a kiosk whose role
    reads nothing, the shared database's functions."""

    def open_slots(self, key: str, now: datetime, window: Window) -> list[Slot]: ...

    def second_matches(self, ids: Sequence[str], kind: SecondKind, value: str) -> set[str]: ...


NOT_FOUND = {"id": "", "matched_by": "none"}
"""What a check-in keeps when the kiosk looked and found no booking: the
desk reads "No appointment found"."""


@dataclass(frozen=True)
class Match:
    """What the kiosk does next."""

    kind: Literal["one", "ask", "pick", "none"]
    """"one": this booking is theirs; "ask": ask for the second identifier
    (`second`), then match again; "pick": the client picks among `slots`,
    or none; "none": no booking to offer."""
    slots: tuple[Slot, ...] = ()
    second: SecondKind = ""


def match(slots: Iterable[Slot], *, second: tuple[SecondKind, str] | None = None,
          seconds: Callable[[list[str], SecondKind, str], set[str]] | None = None) -> Match:
    """The next step for these open slots (see the module's docstring).
    `second`: the identifier the client gave, once asked; `seconds` says
    which slots carry it."""
    slots = list(slots)
    named = [slot for slot in slots if slot.named]
    if len(named) == 1:
        return Match("one", (named[0],))
    if named:
        if second is None:
            kind: SecondKind = ("phone" if any(slot.has_phone for slot in named)
                                else "birth" if any(slot.has_birth for slot in named) else "")
            if kind:
                return Match("ask", tuple(named), kind)
            return Match("pick", tuple(named))
        carrying = (seconds([slot.id for slot in named], second[0], second[1])
                    if seconds is not None and second[1] else set())
        narrowed = [slot for slot in named if slot.id in carrying]
        if len(narrowed) == 1:
            return Match("one", (narrowed[0],))
        return Match("pick", tuple(narrowed or named))
    nameless = [slot for slot in slots if not slot.named]
    if nameless:
        return Match("pick", tuple(nameless))
    return Match("none")


def booked(record: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The booking a check-in was matched to, as it keeps it; None."""
    appointment = record.get("appointment")
    return appointment if isinstance(appointment, Mapping) and appointment.get("id") else None


def minutes_late(record: Mapping[str, Any]) -> int | None:
    """How many minutes after its booking's start the client checked in
    (negative: early); None for a check-in with no booking."""
    appointment = booked(record)
    if appointment is None:
        return None
    try:
        start = datetime.fromisoformat(str(appointment["starts_at"]))
        arrived = datetime.fromisoformat(str(record["created_at"]))
    except (KeyError, ValueError):
        return None
    return round((arrived - start).total_seconds() / 60)
