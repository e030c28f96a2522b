"""The day files' health: what a start mends (failed saves, a crash's
temporary files, the legacy store), and what `kiosk doctor` asks (their
privacy, every record read, copies stored twice, the index compared with
the check-ins)."""

from __future__ import annotations

import os
import shutil
import stat
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.checkin.record import BadRecord, check_record
from kiosk.files import DamagedFile, StoreError, fsync_dir, parse_tinydb
from kiosk.store.contract import Inspection, Recovery
from kiosk.store.dayfiles.layout import CORRUPT, LEGACY_FILE, TABLE, open_table, quarantine
from kiosk.store.dayfiles.name_index import index_entries
from kiosk.store.dayfiles.saving import insert_locked

if TYPE_CHECKING:
    from kiosk.store.dayfiles.store import CheckInStore


def _privacy_problems(data_dir: Path) -> list[str]:
    """What lets others read the data folder, judged by what each path is
    (lstat, never following a link), not by its name: every folder 0700,
    every file 0600, no links and nothing but files and folders in it."""
    problems: list[str] = []

    def judge(path: Path, info: os.stat_result) -> bool:
        mode = info.st_mode
        if stat.S_ISLNK(mode):
            problems.append(f"{path} is a symbolic link: the data folder must hold its own "
                            "files, never links to others (replace it with the file)")
            return False
        if stat.S_ISDIR(mode):
            wanted, what = 0o700, "folder"
        elif stat.S_ISREG(mode):
            wanted, what = 0o600, "file"
        else:
            problems.append(f"{path} is not a file or a folder: remove it")
            return False
        if mode & 0o077:
            problems.append(f"{path} is readable by others (mode {mode & 0o777:04o}, "
                            f"should be {wanted:04o} for a {what}): chmod {wanted:o} it")
        return stat.S_ISDIR(mode)

    try:
        if not judge(data_dir, os.lstat(data_dir)):
            return problems
        for folder, names, files in os.walk(data_dir):
            for name in [*names, *files]:
                path = Path(folder) / name
                with suppress(FileNotFoundError):
                    judge(path, os.lstat(path))
    except OSError as error:
        problems.append(f"{data_dir} can't be read: {error.strerror or type(error).__name__}")
    return problems


def mend_duplicates(store: CheckInStore) -> int:
    """Take out every copy of a check-in but the one in its newest day
    file (what a save tried again on a later day, before this was
    prevented, left behind); returns how many copies went."""
    from tinydb import Query

    try:
        with store._locked():
            where: dict[str, list[Path]] = {}
            for path in store._partitions():  # Newest first.
                for record in store._raw(path).values():
                    if isinstance(record.get("id"), str):
                        where.setdefault(record["id"], []).append(path)
            extra: dict[Path, list[str]] = {}
            for checkin_id, paths in where.items():
                for path in paths[1:]:
                    extra.setdefault(path, []).append(checkin_id)
            for path, ids in extra.items():
                with open_table(path) as table:
                    table.remove(Query().id.one_of(ids))
                    empty = len(table) == 0
                if empty:
                    path.unlink()
                    fsync_dir(path.parent)
            if extra:
                store._build_index_locked()
    except OSError as error:
        raise store._error("mend", error) from None
    return sum(len(ids) for ids in extra.values())


def repair_index(store: CheckInStore) -> bool:
    try:
        with store._locked():
            names, series = index_entries(store._every_record())
            try:
                on_disk = store.links.snapshot() if store.links.built() else None
            except DamagedFile:
                on_disk = None
            agrees = on_disk == (
                {key: set(entries) for key, entries in names.items()},
                {key: set(members) for key, members in series.items()})
            if not agrees:
                store.links.build(names, series)  # From the same reading.
    except OSError as error:
        raise store._error("index", error) from None
    return not agrees


def quarantined(store: CheckInStore) -> list[Path]:
    """Files moved aside because they did not parse."""
    found = [*store.partitions_dir.glob(f"*{CORRUPT}*"),
             *store.data_dir.glob(f"*{CORRUPT}*")]
    return sorted(path for path in found if path.is_file())


def inspect(store: CheckInStore) -> Inspection:
    """Check the data folder; reading every day file also moves aside any
    that doesn't parse."""
    report = Inspection(str(store.data_dir), exists=store.data_dir.exists())
    problems = report.problems
    if not report.exists:
        return report  # Nothing saved yet; the first save makes it.
    problems.extend(_privacy_problems(store.data_dir))
    probe_dir = store.partitions_dir if store.partitions_dir.exists() else store.data_dir
    if not os.access(probe_dir, os.W_OK | os.X_OK):
        problems.append(f"{probe_dir} is not writable: check-ins can't be saved")
    with suppress(OSError):
        report.free_bytes = shutil.disk_usage(store.data_dir).free
    paths = store._partitions() if store.partitions_dir.exists() else []
    for path in paths:
        try:
            documents = store._raw(path)
        except StoreError as error:
            problems.append(str(error))
            continue
        for key, document in documents.items():
            try:
                check_record(document, store.questions)
            except BadRecord as error:
                report.bad_records.append(f"{path} record {key}: {error}")
            else:
                report.checkins += 1
    report.files = len(store._partitions()) if paths else 0
    report.pending = store.pending_count()
    with suppress(DamagedFile, OSError):
        report.pending_ids = sorted(store.pending.load())
    report.damaged = [str(path) for path in quarantined(store)]
    if (store.data_dir / LEGACY_FILE).exists():
        problems.append(f"{store.data_dir / LEGACY_FILE} is from an earlier version: "
                        "start the kiosk once to move it into the day files")
    return report


def recover(store: CheckInStore) -> Recovery:
    """At start: store pending check-ins, import a legacy single-file store,
    and clear temporary files left by a crash. Does nothing (and creates
    nothing) for a folder that holds no data yet."""
    report = Recovery()
    legacy = store.data_dir / LEGACY_FILE
    if not (store.partitions_dir.exists() or store.pending.waiting() or legacy.exists()):
        return report
    try:
        with store._locked():
            for temporary in store.partitions_dir.glob(".*.tmp"):
                temporary.unlink()  # Only a crashed writer leaves these.
                report.removed_temporary += 1
            report.saved_pending = store._flush_pending_locked()
            if legacy.exists():
                report.imported_legacy = _import_legacy_locked(store, legacy)
            if not store.links.built():
                # Check-ins from before series existed: indexed once.
                store._build_index_locked()
    except OSError as error:
        raise store._error("recover", error) from None
    return report


def _import_legacy_locked(store: CheckInStore, legacy: Path) -> int:
    try:
        parsed = parse_tinydb(legacy, legacy.read_bytes()) or {}
    except DamagedFile:
        quarantine(legacy)
        return 0
    documents = [store._document(doc) for doc in parsed.get(TABLE, {}).values()]
    added = insert_locked(store, documents)
    legacy.unlink()  # Every record is now durable in the day files.
    fsync_dir(store.data_dir)
    return added
