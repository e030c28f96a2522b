"""Series in the day files: where each check-in of a regrouping now sits,
written index first, with a journal when it spans several day files."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, MutableMapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.checkin.record import BadRecord, check_record, series_of
from kiosk.files import DamagedFile, fsync_dir, write_atomically
from kiosk.store.contract import Record, UnknownCheckIn
from kiosk.store.dayfiles import lookups
from kiosk.store.dayfiles.layout import open_table
from kiosk.store.shared import Place, created

if TYPE_CHECKING:
    from kiosk.store.dayfiles.folder import DataFolder
    from kiosk.store.dayfiles.store import CheckInStore


class DaySeries:
    """The day files' series, held under the store's lock for one change."""

    def __init__(self, store: CheckInStore) -> None:
        self.store = store

    def locate(self, checkin_id: str) -> Record:
        return locate_locked(self.store, checkin_id)

    def members(self, series: str) -> Iterable[Record]:
        return lookups.fetch(self.store, self.store.links.members(series)).values()

    def place(self, records: Mapping[str, Record], final: Mapping[str, Place],
              touched: set[str]) -> None:
        write_places_locked(self.store, records, final, touched)


def replay_locked(store: DataFolder) -> None:
    """Apply what the journal says every day file it names should hold,
    then drop it. Safe to do twice; a journal that can't be read is from
    a write cut short before it was whole, when nothing had moved yet."""
    try:
        journal = json.loads(store.journal_path.read_bytes())
        by_day = {date.fromisoformat(day): {
            str(checkin_id): None if place is None else (str(place[0]), int(place[1]))
            for checkin_id, place in places.items()} for day, places in journal.items()}
    except (ValueError, TypeError, AttributeError, IndexError, KeyError):
        by_day = {}
    apply_places_locked(store, by_day)
    store.journal_path.unlink()
    fsync_dir(store.data_dir)


def apply_places_locked(
        store: DataFolder, by_day: Mapping[date, Mapping[str, tuple[str, int] | None]]) -> None:
    for made_on, places in by_day.items():
        for path in store.days.holding(store._day_parts(made_on), places):
            place_locked(store, path, places)


def index_locked_ready(store: CheckInStore) -> None:
    try:
        if store.links.built():
            store.links.all_series()  # Raises if it is damaged.
            return
    except DamagedFile:
        pass
    store._build_index_locked()


def locate_locked(store: CheckInStore, checkin_id: str) -> Record:
    found = store._find(checkin_id)
    if found is None:
        raise UnknownCheckIn(f"no check-in {checkin_id} in {store.data_dir}")
    try:
        check_record(found[1], store.questions)
    except BadRecord:
        raise UnknownCheckIn(f"check-in {checkin_id} is not of the stored shape") from None
    return found[1]


def write_places_locked(store: CheckInStore, records: Mapping[str, Record],
                         final: Mapping[str, Place], touched: set[str]) -> None:
    """Write a regrouping: the index first for every series a check-in
    joins (see `name_index`), then each day file changed."""

    def day(record: Record) -> str:
        return created(record).date().isoformat()

    joined = {series: [(record["id"], day(record)) for record in records.values()
                       if (final.get(record["id"]) or ("",))[0] == series]
              for series in touched}
    for series, entries in joined.items():
        store.links.add_members(series, entries)
    by_day: dict[date, dict[str, Place]] = {}
    for checkin_id, place in final.items():
        if series_of(records[checkin_id]) != place:
            by_day.setdefault(created(records[checkin_id]).date(), {})[checkin_id] = place
    if len(by_day) > 1:
        # Several day files, written one at a time: the journal first,
        # so a crash between them is finished by the next one to hold
        # the lock (or read), and readers see all of it or none.
        write_atomically(store.journal_path, json.dumps(
            {day.isoformat(): places for day, places in by_day.items()}).encode())
        apply_places_locked(store, by_day)
        store.journal_path.unlink()
        fsync_dir(store.data_dir)
    else:
        apply_places_locked(store, by_day)
    store.links.set_members(joined)


def place_locked(store: DataFolder, path: Path,
                 places: Mapping[str, tuple[str, int] | None]) -> None:
    """Set (or clear) the series and session of check-ins in one day file,
    in one write: a kill leaves all of them changed or none."""
    from tinydb import Query

    def change(document: MutableMapping[Any, Any]) -> None:
        place = places[document["id"]]
        if place is None:
            document.pop("series", None)
            document.pop("session", None)
        else:
            document["series"], document["session"] = place

    with open_table(path) as table:
        table.update(change, Query().id.one_of(list(places)))
