"""Where the day's appointments come from: `schedule = [...]` in kiosk.toml,
each a file or a feed URL, read into appointments.

    schedule = [
      { url = "https://clinic.example/feeds/maya.ics", practitioner = "Maya" },
      { file = "/srv/exports/today.csv", columns = { date = "Date", start = "Start",
        end = "End", first_name = "First name", last_name = "Last name",
        practitioner = "Practitioner", service = "Service" } },
    ]

A feed is read with a time limit and a size limit: it is a peer on the
network, and never trusted with more.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from datetime import date, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.schedule.model import Appointment, ScheduleError, Source

MOST_BYTES = 64 * 1024 * 1024
"""The largest schedule file or feed read."""
FEED_SECONDS = 20.0
"""How long a feed may take to answer, and between its bytes."""
SUMMARY_HOLDS = ("client", "service", "none")
_SOURCE_KEYS = {"file", "url", "format", "practitioner", "summary", "columns", "date_format",
                "time_format", "timezone"}


def source_from_setting(value: Any, where: str, base: Path) -> Source:
    """One entry of `schedule`, checked; `ScheduleError` naming `where`."""
    if isinstance(value, str):
        value = {"url": value} if "://" in value else {"file": value}
    if not isinstance(value, Mapping):
        raise ScheduleError(f"{where} must be a file, a URL, or a table such as "
                            '{ file = "today.csv", columns = { ... } }')
    unknown = sorted(set(value) - _SOURCE_KEYS)
    if unknown:
        raise ScheduleError(f"{where} has an unknown key '{unknown[0]}'")
    if ("file" in value) == ("url" in value):
        raise ScheduleError(f"{where} needs exactly one of 'file' or 'url'")
    for key in ("file", "url", "format", "practitioner", "summary", "date_format",
                "time_format", "timezone"):
        if key in value and not (isinstance(value[key], str) and value[key].isprintable()):
            raise ScheduleError(f"{where}: '{key}' must be text")
    if "url" in value:
        location = _feed_url(value["url"], where)
    else:
        location = str((base / Path(value["file"]).expanduser()).resolve())
    kind = value.get("format") or ("csv" if location.lower().split("?")[0].endswith(".csv")
                                   else "ics")
    if kind not in ("ics", "csv"):
        raise ScheduleError(f"{where}: 'format' must be \"ics\" or \"csv\"")
    summary = value.get("summary", "client")
    if summary not in SUMMARY_HOLDS:
        raise ScheduleError(f"{where}: 'summary' must be one of "
                            + ", ".join(f'"{choice}"' for choice in SUMMARY_HOLDS))
    columns = value.get("columns", {})
    if kind == "csv":
        columns = _checked_columns(columns, where)
    elif columns:
        raise ScheduleError(f"{where}: 'columns' is for a CSV source")
    zone: tzinfo | None = None
    if value.get("timezone"):
        try:
            zone = ZoneInfo(value["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise ScheduleError(f"{where}: 'timezone' is not a time zone such as "
                                '"Europe/Madrid"') from None
    return Source(
        location=location, kind=kind, is_feed="url" in value,
        practitioner=value.get("practitioner", "").strip(), summary=summary,
        columns=columns,
        date_format=(value["date_format"],) if value.get("date_format") else ("%Y-%m-%d",),
        time_format=((value["time_format"],) if value.get("time_format")
                     else ("%H:%M", "%H:%M:%S")),
        zone=zone)


def _feed_url(url: str, where: str) -> str:
    parts = urlsplit(url.replace("webcal://", "https://", 1))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ScheduleError(f"{where}: 'url' must start with https:// (or http://, webcal://)")
    if any(char.isspace() for char in url):
        raise ScheduleError(f"{where}: 'url' must not hold spaces")
    return parts.geturl()


def _checked_columns(columns: Any, where: str) -> dict[str, str]:
    from kiosk.schedule.csvfile import COLUMNS, REQUIRED

    if not isinstance(columns, Mapping) or not columns or not all(
            isinstance(name, str) and name.strip() for name in columns.values()):
        raise ScheduleError(f"{where}: a CSV source needs 'columns', a table such as "
                            '{ date = "Date", start = "Start", ... }')
    unknown = sorted(set(columns) - set(COLUMNS))
    if unknown:
        raise ScheduleError(f"{where}: 'columns' has an unknown field '{unknown[0]}' "
                            f"(fields: {', '.join(COLUMNS)})")
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise ScheduleError(f"{where}: 'columns' must map '{missing[0]}'")
    if "end" not in columns and "duration" not in columns:
        raise ScheduleError(f"{where}: 'columns' must map 'end' or 'duration'")
    return dict(columns)


def fetch(source: Source) -> bytes:
    """The source's bytes: `ScheduleError` naming it when they can't be had."""
    if not source.is_feed:
        path = Path(source.location)
        try:
            if path.stat().st_size > MOST_BYTES:
                raise ScheduleError(f"{path}: is larger than {MOST_BYTES // 2**20} MiB")
            return path.read_bytes()
        except FileNotFoundError:
            raise ScheduleError(f"{path}: the schedule file is missing") from None
        except IsADirectoryError:
            raise ScheduleError(f"{path}: is a folder, not a schedule file") from None
        except OSError as error:
            raise ScheduleError(f"{path}: cannot be read ({error.strerror})") from None
    # Imported for a feed only: urllib.request (with http.client and email)
    # is about 9 ms of the desk's start, which reads no feed.
    import urllib.error
    import urllib.request

    request = urllib.request.Request(source.location, headers={
        "User-Agent": "clinic-kiosk", "Accept": "text/calendar, text/csv, */*"})
    try:
        with urllib.request.urlopen(request, timeout=FEED_SECONDS) as answer:
            data: bytes = answer.read(MOST_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise ScheduleError(f"{source.name}: the feed answered {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise ScheduleError(f"{source.name}: the feed could not be read "
                            f"({_plain(reason)})") from None
    if len(data) > MOST_BYTES:
        raise ScheduleError(f"{source.name}: the feed is larger than {MOST_BYTES // 2**20} MiB")
    return data


def _plain(reason: object) -> str:
    text = getattr(reason, "strerror", None) or str(reason)
    return "".join(char for char in str(text) if char.isprintable())[:80]


def read_source(source: Source, first: date, last: date, data: bytes | None = None
                ) -> list[Appointment]:
    """The source's appointments on the local days `first`..`last`."""
    from kiosk.schedule.csvfile import read_csv
    from kiosk.schedule.ics import read_ics

    data = fetch(source) if data is None else data
    where = source.name
    if source.kind == "csv":
        return read_csv(data, where, source, first, last)
    return read_ics(data, where, source, first, last)


def is_loopback(url: str) -> bool:
    """Whether a URL names this machine (tests and a local ntfy server)."""
    host = urlsplit(url).hostname or ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def import_range(today: date, *, past_days: int, ahead_days: int) -> tuple[date, date]:
    from datetime import timedelta

    return today - timedelta(days=past_days), today + timedelta(days=ahead_days)
