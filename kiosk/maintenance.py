"""Store upkeep at start and on command: failed saves, retention, the audit log."""

from __future__ import annotations

from kiosk.audit import AuditLog
from kiosk.settings import Settings
from kiosk.store import CheckInStore, StoreError


def plural(count: int, noun: str = "check-in") -> str:
    """'1 check-in', '2 check-ins'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def purge(store: CheckInStore, days: int, action: str = "purge") -> str:
    """Erase check-ins older than `days`, log it, and say how many went."""
    removed = store.purge(days)
    if store.data_dir.exists():
        AuditLog(store.data_dir, store.clock).record(action, count=removed)
    return f"removed {plural(removed)} older than {plural(days, 'day')}"


def prepare_store(store: CheckInStore, settings: Settings) -> list[str]:
    """What the kiosk does once its first screen is up: store check-ins kept
    from failed saves, finish a crashed write, apply `retention_days`.

    Returns one line per thing done; each is also in the audit log, which
    `kiosk doctor` shows. A store that can't be written is reported, not
    raised: the kiosk still opens and each save says what went wrong.
    """
    done = []
    try:
        recovery = store.recover()
        log = AuditLog(store.data_dir, store.clock)
        if recovery.saved_pending:
            log.record("pending-saved", count=recovery.saved_pending)
            done.append(f"stored {plural(recovery.saved_pending)} kept from failed saves")
        if recovery.imported_legacy:
            log.record("legacy-imported", count=recovery.imported_legacy)
            done.append(f"moved {plural(recovery.imported_legacy)} into the day files")
        if settings.retention_days is not None:
            done.append(purge(store, settings.retention_days, action="retention"))
    except (StoreError, OSError) as error:
        done.append(f"could not prepare the store: {error}")
    return done
