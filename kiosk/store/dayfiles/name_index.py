"""The link index: which check-ins share a name key, and which are in each series.

Showing a series and suggesting earlier visits to link must not read every
day file, so the store keeps, beside the day files:

    index/names-NN.json   name key -> [[check-in id, day, created_at], ...]
    index/series.json     series id -> [[check-in id, day], ...]
    index/keys.json       name key -> how many check-ins are under it
    index/manifest.json   written last when the index is built

The day files are the truth; the index only says where to look. Every change
is written under the store's lock, the index before the day file when an
entry is added and after it when one goes, so an index entry may point at a
record that is gone or has moved on, and readers check each record they are
pointed at. `kiosk doctor` compares the index with the day files and
rebuilds it when they disagree. The names are split over 64 files so a save
rewrites a few kilobytes, not an index of the whole history. `keys.json`
lets a name search find the keys that match, and count the check-ins under
them, without reading every shard.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kiosk.checkin.record import name_key, series_of
from kiosk.files import DamagedFile, fsync_dir, make_dirs, write_atomically
from kiosk.store.contract import Record
from kiosk.store.shared import created

INDEX_DIR = "index"
SHARDS = 64
MANIFEST = "manifest.json"
SERIES_FILE = "series.json"
KEYS_FILE = "keys.json"
VERSION = 3
"""Bumped when entries change form: an index of another version is rebuilt."""

NameEntry = tuple[str, str, str]
"""A check-in under a name key: its id, its day file's date, and when it was
made as UTC ISO text (so text order is time order)."""
Member = tuple[str, str]
"""A check-in in a series: its id and its day file's date."""


def _entries_ok(entries: Any, width: int) -> bool:
    """Whether an index file's value is a list of `width`-long lists of text.
    By exact type, as JSON gives them back: it is checked on every read."""
    if type(entries) is not list:
        return False
    for entry in entries:
        if type(entry) is not list or len(entry) != width:
            return False
        for part in entry:
            if type(part) is not str:
                return False
    return True


class LinkIndex:
    """The index files in one data folder. Reads need no lock; every write
    must be made under the store's lock."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = Path(data_dir) / INDEX_DIR

    # -- Reading -------------------------------------------------------------

    def built(self) -> bool:
        """Whether the index has been built (it then covers every check-in)."""
        try:
            manifest = json.loads((self.folder / MANIFEST).read_bytes())
        except (OSError, ValueError):
            return False
        return isinstance(manifest, dict) and manifest.get("version") == VERSION

    def _shard(self, key: str) -> Path:
        number = hashlib.sha256(key.encode("utf-8")).digest()[0] % SHARDS
        return self.folder / f"names-{number:02d}.json"

    def _load(self, path: Path, width: int) -> dict[str, list[list[str]]]:
        """An index file: a table of lists of `width`-long lists of text.

        Raises:
            DamagedFile: for anything else (the index is then rebuilt).
        """
        try:
            parsed: Any = json.loads(path.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            raise DamagedFile(path) from None
        if not isinstance(parsed, dict) or not all(
                _entries_ok(entries, width) for entries in parsed.values()):
            raise DamagedFile(path)
        return parsed

    def names(self, key: str) -> list[NameEntry]:
        """The check-ins indexed under this name key (only its own entries
        are checked: a common name's list is read without the rest's cost)."""
        path = self._shard(key)
        try:
            parsed: Any = json.loads(path.read_bytes())
        except FileNotFoundError:
            return []
        except (OSError, ValueError):
            raise DamagedFile(path) from None
        entries: Any = parsed.get(key, []) if isinstance(parsed, dict) else None
        if not _entries_ok(entries, 3):
            raise DamagedFile(path)
        return [(entry[0], entry[1], entry[2]) for entry in entries]

    def key_counts(self) -> dict[str, int]:
        """Every name key, and how many check-ins are indexed under it."""
        path = self.folder / KEYS_FILE
        try:
            parsed: Any = json.loads(path.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            raise DamagedFile(path) from None
        if not isinstance(parsed, dict) or not all(
                isinstance(count, int) and not isinstance(count, bool) and count > 0
                for count in parsed.values()):
            raise DamagedFile(path)
        return parsed

    def entries_under(self, keys: Iterable[str]) -> list[NameEntry]:
        """The check-ins indexed under any of these keys (each shard read once)."""
        by_shard: dict[Path, list[str]] = {}
        for key in keys:
            by_shard.setdefault(self._shard(key), []).append(key)
        found: list[NameEntry] = []
        for path, group in by_shard.items():
            try:
                table: Any = json.loads(path.read_bytes())
            except FileNotFoundError:
                continue
            except (OSError, ValueError):
                raise DamagedFile(path) from None
            if not isinstance(table, dict):
                raise DamagedFile(path)
            for key in group:
                # Only the keys asked for are checked: the rest of the shard
                # costs nothing it is not read for.
                entries = table.get(key, [])
                if not _entries_ok(entries, 3):
                    raise DamagedFile(path)
                found.extend((entry[0], entry[1], entry[2]) for entry in entries)
        return found

    def members(self, series: str) -> list[Member]:
        """The check-ins indexed in this series."""
        return [(e[0], e[1]) for e in self._load(self.folder / SERIES_FILE, 2).get(series, [])]

    def all_series(self) -> dict[str, list[list[str]]]:
        return self._load(self.folder / SERIES_FILE, 2)

    def snapshot(self) -> tuple[dict[str, set[tuple[str, ...]]], dict[str, set[tuple[str, ...]]]]:
        """Every name entry and every series member, for comparing with the
        day files."""
        names: dict[str, set[tuple[str, ...]]] = {}
        for shard in sorted(self.folder.glob("names-*.json")):
            for key, entries in self._load(shard, 3).items():
                names.setdefault(key, set()).update(tuple(entry) for entry in entries)
        series = {key: {tuple(entry) for entry in entries}
                  for key, entries in self.all_series().items()}
        if self.key_counts() != {key: len(entries) for key, entries in names.items()}:
            raise DamagedFile(self.folder / KEYS_FILE)  # It disagrees with the shards.
        return names, series

    # -- Writing (under the store's lock) -------------------------------------

    def _write(self, path: Path, table: dict[str, list[list[str]]]) -> None:
        make_dirs(self.folder)
        table = {key: entries for key, entries in table.items() if entries}
        write_atomically(path, json.dumps(table, ensure_ascii=False, sort_keys=True)
                         .encode("utf-8"))

    def add_names(self, entries: Iterable[tuple[str, NameEntry]]) -> None:
        """Index check-ins under their name keys (an id already there moves)."""
        self._edit_names(entries, lambda kept, entry: [*kept, list(entry)])

    def drop_names(self, entries: Iterable[tuple[str, str]]) -> None:
        """Take (name key, check-in id) pairs out of the index."""
        self._edit_names(((key, (checkin_id,)) for key, checkin_id in entries),
                         lambda kept, _: kept)

    def _edit_names(self, entries: Iterable[tuple[str, tuple[str, ...]]],
                    edit: Callable[[list[list[str]], tuple[str, ...]], list[list[str]]]) -> None:
        """For each (key, entry), drop the key's entry with that id, then
        `edit` what is kept; each shard is read and written once."""
        by_shard: dict[Path, list[tuple[str, tuple[str, ...]]]] = {}
        for key, entry in entries:
            if key:
                by_shard.setdefault(self._shard(key), []).append((key, entry))
        counts = self.key_counts() if by_shard else {}
        for path, group in by_shard.items():
            table = self._load(path, 3)
            for key, entry in group:
                kept = [e for e in table.get(key, []) if e[0] != entry[0]]
                table[key] = edit(kept, entry)
                counts[key] = len(table[key])
            self._write(path, table)
        if by_shard:
            self._write_counts(counts)

    def _write_counts(self, counts: dict[str, int]) -> None:
        make_dirs(self.folder)
        write_atomically(self.folder / KEYS_FILE, json.dumps(
            {key: count for key, count in counts.items() if count},
            ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def set_members(self, changes: dict[str, list[Member]]) -> None:
        """Replace the members of each series given (an empty list drops it)."""
        table = self.all_series()
        for series, members in changes.items():
            table[series] = [list(member) for member in members]
        self._write(self.folder / SERIES_FILE, table)

    def add_members(self, series: str, members: Iterable[Member]) -> None:
        table = self.all_series()
        entries = table.get(series, [])
        known = {entry[0] for entry in entries}
        table[series] = [*entries, *([*member] for member in members if member[0] not in known)]
        self._write(self.folder / SERIES_FILE, table)

    def build(self, names: dict[str, list[NameEntry]], series: dict[str, list[Member]]) -> None:
        """Write the whole index afresh from what the day files hold."""
        make_dirs(self.folder)
        shards: dict[Path, dict[str, list[list[str]]]] = {
            self.folder / f"names-{number:02d}.json": {} for number in range(SHARDS)}
        for key, entries in names.items():
            shards[self._shard(key)][key] = [list(entry) for entry in entries]
        (self.folder / MANIFEST).unlink(missing_ok=True)
        for path, table in shards.items():
            # A missing shard reads as empty: only those with names are
            # written (a new folder's index is two small files, not 66).
            if table:
                self._write(path, table)
            elif path.exists():
                path.unlink()
                fsync_dir(self.folder)
        self._write(self.folder / SERIES_FILE,
                    {key: [list(member) for member in members] for key, members in series.items()})
        self._write_counts({key: len(entries) for key, entries in names.items()})
        write_atomically(self.folder / MANIFEST,
                         json.dumps({"version": VERSION, "shards": SHARDS}).encode("utf-8"))


def index_entries(
    records: Iterable[tuple[Record, str]],
) -> tuple[dict[str, list[NameEntry]], dict[str, list[Member]]]:
    """What the link index holds for these (record, day file date) pairs: the
    entries under each name key, and the members of each series."""
    names: dict[str, list[NameEntry]] = {}
    series: dict[str, list[Member]] = {}
    for record, day in records:
        key = name_key(record)
        if key:
            names.setdefault(key, []).append((record["id"], day, created(record).isoformat()))
        linked = series_of(record)
        if linked:
            series.setdefault(linked[0], []).append((record["id"], day))
    return names, series
