"""Store upkeep at start and on command: failed saves, retention, `kiosk doctor`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.access.audit import AuditLog
from kiosk.files import StoreError
from kiosk.plural import plural
from kiosk.settings import Settings
from kiosk.store.contract import ArchiveDamaged, ConsentText, Inspection, LocalStore, Store

LOW_DISK_BYTES = 50 * 1024 * 1024
UPKEEP_ACTIONS = ("retention", "purge", "pending-saved")


def purge(store: Store, audit: AuditLog, days: int, action: str = "purge") -> str:
    """Erase check-ins older than `days`, log it, and say how many went."""
    removed = store.purge(days)
    if removed or audit.path.parent.exists():  # Nothing saved yet: make no folder.
        audit.record(action, count=removed)
    return f"removed {plural(removed)} older than {plural(days, 'day')}"


def prepare_store(store: LocalStore, audit: AuditLog, settings: Settings) -> list[str]:
    """What the kiosk does once its first screen is up: store check-ins kept
    from failed saves, finish a crashed write, apply `retention_days`.

    Returns one line per thing done; each is also in the audit log, which
    `kiosk doctor` shows. A store that can't be written is reported, not
    raised: the kiosk still opens and each save says what went wrong.
    """
    done = []
    try:
        recovery = store.recover()
        if recovery.saved_pending:
            audit.record("pending-saved", count=recovery.saved_pending)
            done.append(f"stored {plural(recovery.saved_pending)} kept from failed saves")
        if recovery.imported_legacy:
            audit.record("legacy-imported", count=recovery.imported_legacy)
            done.append(f"moved {plural(recovery.imported_legacy)} into the day files")
        if settings.retention_days is not None:
            done.append(purge(store, audit, settings.retention_days, action="retention"))
    except (StoreError, OSError) as error:
        done.append(f"could not prepare the store: {error}")
    return done


@dataclass
class Health:
    """The data's state, for `kiosk doctor`: what the store found, and the
    problems that need a person."""

    inspection: Inspection
    upkeep: list[dict[str, Any]] = field(default_factory=list)
    """The last few upkeep entries of the audit log (retention, purge, pending)."""
    problems: list[str] = field(default_factory=list)
    index_rebuilt: bool = False
    """The series and name index disagreed with the check-ins and was rebuilt."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """The report as `kiosk doctor` prints it."""
        found = self.inspection
        created = "" if found.exists else " (not made yet: the first save makes it)"
        lines = [
            f"data folder: {found.where}{created}",
            f"stored: {plural(found.checkins)}" + (
                f" in {plural(found.files, 'day file')}" if found.files is not None else ""),
        ]
        if found.files is not None:  # A data folder: saves can wait, files be set aside.
            lines += [f"pending after a failed save: {found.pending}",
                      f"moved aside (did not parse): {len(found.damaged)}"]
        if found.free_bytes is not None:
            lines.append(f"free disk space: {found.free_bytes // (1024 * 1024)} MB")
        if found.exists:
            lines.append("series and name index: " + (
                "rebuilt (it disagreed with the check-ins, or was missing or damaged)"
                if self.index_rebuilt else "agrees with the check-ins"))
        for entry in self.upkeep:
            lines.append(f"last {entry['action']}: {entry['at']}, "
                         f"{plural(int(entry.get('count', 0)))}")
        lines.extend(f"problem: {problem}" for problem in self.problems)
        lines.append("OK" if self.ok else f"{plural(len(self.problems), 'problem')} found")
        return lines


def doctor(store: Store, audit: AuditLog) -> Health:
    """Read everything in the store and the audit log; say what needs attention."""
    found = store.inspect()
    problems = list(found.problems)
    rebuilt = False
    if found.exists:
        try:
            if isinstance(store, LocalStore):  # A database's rows and indexes are its own.
                if twice := store.mend_duplicates():
                    problems.append(f"{twice} check-in copies stored twice (in an older day "
                                    "file) were taken out; the newest of each is kept")
                rebuilt = store.repair_index()
        except StoreError as error:
            problems.append(str(error))
    if found.free_bytes is not None and found.free_bytes < LOW_DISK_BYTES:
        problems.append(f"only {found.free_bytes // 1024 // 1024} MB free on the disk")
    if found.pending:
        problems.append(f"{found.pending} check-in(s) failed to save and are pending: "
                        "they are stored on the next save or start")
        problems.extend(f"waiting to be stored: check-in {checkin_id}"
                        for checkin_id in found.pending_ids)
    problems.extend(f"{where}: skipped; erase it with `kiosk erase ID`, or mend the file"
                    for where in found.bad_records)
    problems.extend(f"{path} did not parse and was moved aside (bytes kept as they were)"
                    for path in found.damaged)
    upkeep = [entry for entry in audit.entries() if entry.get("action") in UPKEEP_ACTIONS]
    return Health(found, upkeep[-3:], problems, rebuilt)


def consent_archive(store: Store, texts: Mapping[str, ConsentText]) -> tuple[list[str], list[str]]:
    """Every consent text a check-in points to, checked: one missing from the
    archive or damaged there is kept again where `texts` (the content's own
    documents, by version) still has it. Returns what was mended, and the
    problems left (by version and how many check-ins, never a name)."""
    pointing: dict[str, int] = {}
    for record in store.all():
        for agreed in record.get("consents", []):
            pointing[agreed["version"]] = pointing.get(agreed["version"], 0) + 1
    mended, problems = [], []
    for version, count in sorted(pointing.items()):
        try:
            wrong = "missing from" if store.consent_text(version) is None else ""
        except ArchiveDamaged:
            wrong = "damaged in"
        if not wrong:
            continue
        known = texts.get(version)
        if known is not None and wrong == "missing from":
            store.keep_consent_text(known)
            mended.append(f"consent text {version[:8]} was {wrong} the archive: kept again "
                          "from the content")
        else:
            point = "points" if count == 1 else "point"
            problems.append(f"consent text {version[:8]} ({plural(count)} {point} to it) is "
                            f"{wrong} the archive" + (
                                ": restore the data folder's consent/ from a backup"
                                if known is None else
                                ": move the damaged file aside; doctor keeps it again"))
    return mended, problems
