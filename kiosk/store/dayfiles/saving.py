"""Saving to the day files: each day's newest part filled, a save tried again
replacing its first attempt wherever it landed, and the index kept in step."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from contextlib import suppress
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, cast

from kiosk.checkin.record import name_key, series_of
from kiosk.files import DamagedFile, fsync_dir
from kiosk.store.contract import Record
from kiosk.store.dayfiles.layout import PART_SIZE, day_of, open_table, part_number, replace_saved
from kiosk.store.dayfiles.name_index import Member, index_entries
from kiosk.store.shared import created, made, utc

if TYPE_CHECKING:
    from kiosk.store.dayfiles.store import CheckInStore


def insert_locked(store: CheckInStore, documents: Iterable[Record]) -> int:
    by_day: dict[date, list[Record]] = {}
    for document in documents:
        by_day.setdefault(created(document).date(), []).append(document)
    # Read before the index moves them: earlier saves of these ids on
    # other days, taken out once the new ones are written.
    stale = saved_elsewhere(store, by_day)
    if store.links.built():
        # The index first: an entry whose record a crash kept from the
        # day file is passed over by readers; a record missing from the
        # index could never be suggested.
        index_locked(store, [doc for group in by_day.values() for doc in group])
    added = 0
    for day, group in by_day.items():
        new = {doc["id"]: doc for doc in group}
        parts = store._day_parts(day) or [store.partition_path(day)]
        # A save tried again (after a failure, or one that in fact
        # worked) replaces its first attempt, in whichever part of the
        # day it is: one visit, one check-in.
        for path in store.days.holding(parts[:-1], new):
            with open_table(path) as table:
                replace_saved(table, new)
        path = parts[-1]
        part = part_number(path)
        while new:
            with open_table(path) as table:
                replace_saved(table, new)
                room = list(new)[:max(0, PART_SIZE - len(table))]
                if room:
                    table.insert_multiple(new.pop(checkin_id) for checkin_id in room)
                    added += len(room)
            part += 1  # This part is full: the next one.
            path = store.partition_path(day, part)
    take_out_locked(store, stale)
    return added - sum(len(ids) for ids in stale.values())


def saved_elsewhere(store: CheckInStore,
                    by_day: Mapping[date, list[Record]]) -> dict[date, set[str]]:
    """The days other than its own where each id was saved before (a save
    tried again after midnight), found through the name index."""
    stale: dict[date, set[str]] = {}
    if not store.links.built():
        # No index yet (a new folder, until a start, a link or the desk's
        # first suggestions build it): a look at the day files' bytes.
        for day, group in by_day.items():
            ids = {document["id"] for document in group}
            for path in store.days.holding(store._partitions(), ids):
                other = date.fromisoformat(day_of(path))
                if other != day:
                    data = path.read_bytes()
                    stale.setdefault(other, set()).update(
                        i for i in ids if json.dumps(i).encode() in data)
        return stale
    for day, group in by_day.items():
        for document in group:
            key = name_key(document)
            try:
                entries = store.links.names(key) if key else []
            except DamagedFile:
                continue  # Rebuilt by the next read; doctor finds any copy left.
            for checkin_id, elsewhere, _ in entries:
                if checkin_id == document["id"] and elsewhere != day.isoformat():
                    with suppress(ValueError):
                        stale.setdefault(date.fromisoformat(elsewhere), set()).add(
                            checkin_id)
    return stale


def take_out_locked(store: CheckInStore, stale: Mapping[date, set[str]]) -> None:
    """Remove earlier saves of these ids from these days' files (after
    the new saves are durable: a crash between leaves two, which doctor
    finds, never none)."""
    from tinydb import Query

    for day, ids in stale.items():
        for path in store.days.holding(store._day_parts(day), ids):
            with open_table(path) as table:
                table.remove(Query().id.one_of(list(ids)))
                empty = len(table) == 0
            if empty:
                path.unlink()
                fsync_dir(path.parent)


def index_locked(store: CheckInStore, documents: list[Record]) -> None:
    names, series = index_entries((doc, created(doc).date().isoformat())
                                   for doc in documents)
    store.links.add_names((key, entry) for key, entries in names.items()
                         for entry in entries)
    for series_id, members in series.items():
        store.links.add_members(series_id, members)


def unindex_locked(store: CheckInStore, records: list[Record]) -> None:
    """Take erased check-ins out of the index (after their day files)."""
    if not store.links.built():
        return
    store.links.drop_names((name_key(record), str(record.get("id"))) for record in records)
    gone = {str(record.get("id")) for record in records}
    changes: dict[str, list[Member]] = {}
    for record in records:
        linked = series_of(record)
        if linked and linked[0] not in changes:
            changes[linked[0]] = [member for member in store.links.members(linked[0])
                                  if member[0] not in gone]
    if changes:
        store.links.set_members(changes)


def purge_locked(store: CheckInStore, cutoff: datetime) -> int:
    """Erase check-ins made before `cutoff`; returns how many."""
    removed = 0
    gone: list[Record] = []
    for path in store._partitions(last=cutoff.date()):
        # A record whose date can't be read is dated by its day file, as if
        # made at the end of that day: retention is never blocked by a bad
        # date, and never takes a record that could be younger than the cutoff.
        end_of_day = utc(datetime.combine(
            date.fromisoformat(day_of(path)), time())) + timedelta(days=1)
        with open_table(path) as table:
            old = [document for document in table.all()
                   if made(document, end_of_day) < cutoff]
            if old:
                removed += len(table.remove(doc_ids=[doc.doc_id for doc in old]))
                gone.extend(cast(Record, dict(document)) for document in old)
            empty = len(table) == 0
        if empty and path.exists():
            path.unlink()
    fsync_dir(store.partitions_dir)
    try:
        unindex_locked(store, gone)
    except DamagedFile:
        store._build_index_locked()
    return removed
