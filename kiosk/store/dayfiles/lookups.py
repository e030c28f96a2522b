"""Reading the day files without reading them all: a part's records matched
in place, single records plucked by id, and the index's names and series."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import suppress
from datetime import UTC, date, datetime
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.checkin.record import BadRecord, check_record, client_name, name_key
from kiosk.store.contract import Record
from kiosk.store.dayfiles.layout import day_of
from kiosk.store.dayfiles.parts import collector_paused
from kiosk.store.shared import created, made, name_needle

if TYPE_CHECKING:
    from kiosk.store.dayfiles.folder import DataFolder
    from kiosk.store.dayfiles.store import CheckInStore


def find(store: DataFolder, checkin_id: str) -> tuple[Path, Record] | None:
    """The day file and record with this id, searching newest first."""
    needle = json.dumps(checkin_id).encode("utf-8")
    for path in store._partitions():
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise store._error("read", error) from None
        if needle not in data:
            continue  # A quick look at the bytes saves parsing every day.
        for record in store._raw(path).values():
            if record.get("id") == checkin_id:
                return path, record
    return None


def search(store: CheckInStore, start: datetime | None, end: datetime | None,
           status: str | None, flagged: bool | None, needle: str) -> list[Record]:
    """Check-ins made from `start` up to `end` (UTC), of this status and
    flagging, whose name holds `needle`; oldest first."""
    paths = store._partitions(start.date() if start else None, end.date() if end else None)
    found: list[tuple[datetime, Record]] = []
    # Parsing years of day files makes millions of objects; the cyclic
    # garbage collector would scan them over and over (2.4 s → 0.8 s for
    # 100,000 check-ins with it paused). JSON makes no cycles.
    with collector_paused():
        # Oldest first: check-ins made in the same second keep the
        # order they were saved in.
        for path in reversed(paths):
            found.extend(matching(store, path, start, end, status, flagged, needle))
    found.sort(key=lambda pair: pair[0])
    return [record for _, record in found]


def matching(store: CheckInStore, path: Path,
    start: datetime | None,
    end: datetime | None,
    status: str | None,
    flagged: bool | None,
    needle: str,
) -> Iterator[tuple[datetime, Record]]:
    part = store._parsed_part(path)
    records, verdicts, moments = part.records, part.verdicts, part.moments
    for number, record in enumerate(records):
        moment = moments[number]
        try:
            # The cheap conditions first, on the record as it is: only
            # a record they keep is checked against the whole schema
            # (a search for a name checks that name's check-ins, not a
            # year of them). A record too damaged for them is checked,
            # and counted, below.
            if status is not None and record.get("status") != status:
                continue
            if flagged is not None and bool(record.get("flags")) != flagged:
                continue
            if needle and needle not in client_name(record).casefold():
                continue
            if start or end:
                if moment is None:
                    moment = moments[number] = created(record)
                if (start and moment < start) or (end and moment >= end):
                    continue
        except (AttributeError, KeyError, TypeError, ValueError):
            pass
        if verdicts[number] is None:
            try:
                check_record(record, store.questions)
                verdicts[number] = True
            except BadRecord:
                verdicts[number] = False
        if not verdicts[number]:
            store._reads.skipped = getattr(store._reads, "skipped", 0) + 1
            continue
        if moment is None:
            moment = moments[number] = created(record)
        yield moment, record


_RECORD_START = re.compile(r'\{"id": "([^"\\]*)"')
"""Where a record written by the store starts: its id comes first."""


def pluck(store: CheckInStore, path: Path, ids: Iterable[str]) -> dict[str, Record]:
    """The good records with these ids in one day file, without parsing
    the rest of it: a record is written with its id first, so it starts
    at `{"id": "<id>"`, and only it is decoded."""
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise store._error("read", error) from None
    decoder = json.JSONDecoder()
    found: dict[str, Record] = {}
    whole: dict[str, Record] | None = None
    wanted = list(ids)
    starts: dict[str, int] | None = None
    if len(wanted) > 3:
        # Many from one file: every record's start found in one pass.
        starts = {}
        for match in _RECORD_START.finditer(text):
            starts.setdefault(match[1], match.start())
    for checkin_id in wanted:
        quoted = json.dumps(checkin_id)
        at = (text.find('{"id": ' + quoted) if starts is None
              else starts.get(checkin_id, -1))
        record: Any = None
        if at >= 0:
            with suppress(ValueError):
                record = decoder.raw_decode(text, at)[0]
        elif quoted in text:
            # Written some other way (by hand, or by another tool).
            if whole is None:
                whole = {str(doc.get("id")): doc for doc in store._raw(path).values()}
            record = whole.get(checkin_id)
        if record is None:
            continue
        try:
            check_record(record, store.questions)
        except BadRecord:
            continue
        if record.get("id") == checkin_id:
            found[checkin_id] = record
    return found


def fetch(store: CheckInStore, entries: Iterable[tuple[str, str]]) -> dict[str, Record]:
    """Records by (id, day file date), reading each day file once."""
    by_day: dict[str, list[str]] = {}
    for checkin_id, day in entries:
        by_day.setdefault(day, []).append(checkin_id)
    found: dict[str, Record] = {}
    listed: dict[str, list[Path]] | None = None
    if len(by_day) > 2:
        # Many days: the folder is listed once, not once a day.
        listed = {}
        for path in reversed(store._partitions()):
            listed.setdefault(day_of(path), []).append(path)
    for day, ids in by_day.items():
        try:
            when = date.fromisoformat(day)
        except ValueError:
            continue  # Not a date: a damaged entry, passed over.
        paths = store._day_parts(when) if listed is None else listed.get(when.isoformat(), [])
        for path in paths:
            found.update(pluck(store, path, [i for i in ids if i not in found]))
    return found


def suggestions(store: CheckInStore, record: Mapping[str, Any],
                most: int = 20) -> list[Record]:
    key = name_key(record)
    if not key:
        return []
    entries = store._from_index(lambda links: links.names(key))
    mine = made(record, datetime.max.replace(tzinfo=UTC))
    # Index times are UTC ISO text, so text order is time order.
    before = mine.isoformat()
    own = record.get("id")
    candidates = [entry for entry in entries if entry[2] < before and entry[0] != own]
    # Newest first; a few more than asked are read, as some may have gone.
    candidates.sort(key=itemgetter(2), reverse=True)
    found: list[Record] = []
    for start in range(0, len(candidates), most):
        chunk = candidates[start:start + most]
        fetched = fetch(store, [(entry[0], entry[1]) for entry in chunk])
        for entry in chunk:
            earlier = fetched.get(entry[0])
            if earlier is not None and name_key(earlier) == key and created(earlier) < mine:
                found.append(earlier)
        if len(found) >= most:
            break
    return found[:most]


def find_names(store: CheckInStore, text: str, *, limit: int,
               offset: int = 0) -> tuple[list[Record], int]:
    """From the index: the keys that match (`keys.json`), the entries
    under them, and only the page's records read from the day files."""
    if limit < 0 or offset < 0:
        raise ValueError("a page's limit and offset can't be negative")
    store._settled()
    store._start_read()
    needle = name_needle(text)
    counts = store._from_index(lambda links: links.key_counts())
    keys = [key for key in counts if needle in shown_name(key)]
    entries = store._from_index(lambda links: links.entries_under(keys))
    # Index times are UTC ISO text, so text order is time order.
    entries.sort(key=lambda entry: (entry[2], entry[0]), reverse=True)
    page: list[Record] = []
    at = offset
    while len(page) < limit and at < len(entries):
        # A few more than asked are read, as some entries may be stale.
        chunk = entries[at:at + limit - len(page) + 4]
        at += len(chunk)
        fetched = fetch(store, [(entry[0], entry[1]) for entry in chunk])
        for entry in chunk:
            record = fetched.get(entry[0])
            if record is not None and needle in client_name(record).casefold():
                page.append(record)
    return page[:limit], sum(counts[key] for key in keys)

def shown_name(key: str) -> str:
    """A name key as a name search reads it: what `client_name` shows, case
    folded ("zoë k.")."""
    first, _, initial = key.partition("|")
    return f"{first} {initial}." if initial else first
