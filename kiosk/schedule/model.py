"""An appointment as the kiosk keeps it, its JSON codec, and the name key
arrivals are matched on."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import urlsplit, urlunsplit

MOST_EVENTS = 50_000
"""Events (VEVENT blocks, or CSV rows) in one file: more is refused, so a
runaway export can't hold the kiosk for minutes; export a shorter range."""
MOST_TEXT = 200
"""The longest name, practitioner or service kept (longer is cut)."""

STATUS_BOOKED = "booked"
"""FHIR's word for an appointment nobody has arrived for yet."""


class ScheduleError(ValueError):
    """A schedule that can't be read: one line naming the file and the line
    or event, never a client's name."""


@dataclass(frozen=True)
class Appointment:
    """One booking on one day. Its id is stable across imports of the same
    source: the event's UID and start, or the CSV row's own fields."""

    id: str
    starts_at: datetime
    """Aware; kept in UTC."""
    ends_at: datetime
    practitioner: str = ""
    service: str = ""
    first_name: str = ""
    """"" where the source leaves names out (many feeds do)."""
    last_name: str = ""
    phone_last4: str = ""
    """The second identifier some sources carry: the phone's last 4 digits."""
    birth_day_month: str = ""
    """Or the day and month of birth, as "MM-DD"."""
    source: str = ""
    """Which configured source said so: a re-import replaces only its own."""

    @property
    def named(self) -> bool:
        return bool(self.first_name)

    @property
    def key(self) -> str:
        """First name and last initial, as a check-in's name is matched:
        "ann|b"; "" for a booking without a name."""
        return name_key(self.first_name, self.last_name[:1])

    @property
    def client(self) -> str:
        """The client as the desk reads them: first name and last initial."""
        initial = self.last_name[:1]
        return f"{self.first_name} {initial}." if initial else self.first_name

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["starts_at"] = self.starts_at.astimezone(UTC).isoformat()
        data["ends_at"] = self.ends_at.astimezone(UTC).isoformat()
        return {key: value for key, value in data.items() if value != ""}


def name_key(first: str, initial: str) -> str:
    """The key a first name and last initial match on, in any case and
    spacing: "" without a first name. The same rule as a check-in's."""
    first = " ".join(first.split()).casefold()
    return f"{first}|{initial.strip()[:1].casefold()}" if first else ""


_TEXT_FIELDS = ("id", "practitioner", "service", "first_name", "last_name", "phone_last4",
                "birth_day_month", "source")
_PHONE = re.compile(r"\d{4}")
_BIRTH = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")


def clean_text(value: object) -> str:
    """Text from a file or a feed, kept as text: controls dropped, spaces
    joined, cut to `MOST_TEXT`."""
    text = "".join(char for char in str(value) if char.isprintable() or char == " ")
    return " ".join(text.split())[:MOST_TEXT]


def appointment_from_json(data: Any) -> Appointment:
    """An appointment read back from a store; `ScheduleError` naming the
    field (never its value) when it is not of the kept shape."""
    if not isinstance(data, Mapping):
        raise ScheduleError("an appointment is not a table of fields")
    fields: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = data.get(name, "")
        if not isinstance(value, str) or len(value) > MOST_TEXT:
            raise ScheduleError(f"an appointment's '{name}' is not text")
        fields[name] = value
    if not fields["id"]:
        raise ScheduleError("an appointment has no id")
    for name in ("starts_at", "ends_at"):
        value = data.get(name)
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise ScheduleError(f"an appointment's '{name}' is not a time with its zone")
        fields[name] = moment.astimezone(UTC)
    if fields["ends_at"] < fields["starts_at"]:
        raise ScheduleError("an appointment ends before it starts")
    if fields["phone_last4"] and not _PHONE.fullmatch(fields["phone_last4"]):
        raise ScheduleError("an appointment's 'phone_last4' is not 4 digits")
    if fields["birth_day_month"] and not _BIRTH.fullmatch(fields["birth_day_month"]):
        raise ScheduleError("an appointment's 'birth_day_month' is not MM-DD")
    return Appointment(**fields)


def phone_last4(value: str) -> str:
    """The last 4 digits of a phone number as written anywhere ("" if fewer)."""
    digits = "".join(char for char in value if char.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


def birth_day_month(value: str) -> str:
    """"MM-DD" from a date of birth written as an ISO date (1980-03-07),
    or as day/month (07/03, 07/03/1980); "" if it can't be read."""
    value = value.strip()
    iso = re.fullmatch(r"\d{4}-(\d{2})-(\d{2})", value)
    if iso:
        month, day = iso[1], iso[2]
    else:
        parts = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})(?:[/.]\d{2,4})?", value)
        if not parts:
            return ""
        day, month = f"{int(parts[1]):02d}", f"{int(parts[2]):02d}"
    shown = f"{month}-{day}"
    return shown if _BIRTH.fullmatch(shown) else ""


@dataclass(frozen=True)
class Source:
    """One schedule source, checked."""

    location: str
    """A file's path, or a feed's URL."""
    kind: str
    """"ics" or "csv"."""
    is_feed: bool = False
    practitioner: str = ""
    """A feed of one practitioner's bookings: their name for every one."""
    summary: str = "client"
    """What an event's SUMMARY holds: "client" (the client's name, maybe
    with the service), "service", or "none" (nothing personal)."""
    columns: Mapping[str, str] = field(default_factory=dict)
    """For a CSV: our field (date, start, end or duration, practitioner,
    first_name, last_name, service, phone, birth, id, status) to its column."""
    date_format: tuple[str, ...] = ("%Y-%m-%d",)
    time_format: tuple[str, ...] = ("%H:%M", "%H:%M:%S")
    zone: tzinfo | None = None
    """The CSV's times' zone; None: the clinic's (this machine's)."""

    @property
    def name(self) -> str:
        """How the source is known in the store and to people: the path, or
        the URL without any password or query (a feed's secret token)."""
        if not self.is_feed:
            return self.location
        parts = urlsplit(self.location)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return urlunsplit((parts.scheme, host + port, parts.path, "", ""))
