"""Choosing where things are kept: a kiosk's own data folder, or the
clinic's database (check-ins, the staff PIN, the audit log)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.access.audit import AuditLog
from kiosk.access.pin import StaffPin
from kiosk.clock import WallClock
from kiosk.store.contract import LocalStore, Store
from kiosk.store.dayfiles.store import CheckInStore

if TYPE_CHECKING:
    from kiosk.content.kinds import Question
    from kiosk.settings import Settings


def open_store(data_dir: Path, clock: WallClock | None = None, *,
               questions: Iterable[Question] = ()) -> LocalStore:
    """The store a kiosk saves to: always its own data folder's day files
    (with a database, delivery sends them on)."""
    return CheckInStore(data_dir, clock, questions=questions)


def open_desk_store(settings: Settings, clock: WallClock | None = None, *,
                    questions: Iterable[Question] = ()) -> Store:
    """The store staff and the commands read: the shared database when one is
    set (refused, with one line, unless its schema is this program's), else
    this data folder. A kiosk itself always saves to its folder."""
    if settings.database_url is None:
        return CheckInStore(settings.data_dir, clock, questions=questions)
    from kiosk.store.postgres.schema import require_current
    from kiosk.store.postgres.store import PostgresStore

    require_current(settings.database_url)
    return PostgresStore(settings.database_url, clock, site=settings.site,
                         only_site=settings.site, questions=questions)


def kiosk_pin(settings: Settings, clock: WallClock | None = None) -> StaffPin:
    """The staff PIN as the kiosk's own pad checks it: through the shared
    database's functions when one is set, else the data folder's."""
    if settings.database_url is None:
        return StaffPin(settings.data_dir, clock)
    from kiosk.store.postgres.access import DevicePin

    return DevicePin(settings.database_url, clock, site=settings.site)


def desk_audit(settings: Settings, clock: WallClock | None = None) -> AuditLog:
    """The audit log staff and the commands write: the shared database's
    when one is set, else the data folder's."""
    if settings.database_url is None:
        return AuditLog(settings.data_dir, clock)
    from kiosk.store.postgres.access import DatabaseAuditLog

    return DatabaseAuditLog(settings.database_url, clock, site=settings.site)


def desk_pin(settings: Settings, clock: WallClock | None = None) -> StaffPin:
    """The staff PIN: the shared database's when one is set (every machine,
    kiosks' pads too, has the same), else the data folder's."""
    if settings.database_url is None:
        return StaffPin(settings.data_dir, clock)
    from kiosk.store.postgres.access import DatabaseAuditLog, DatabasePin

    return DatabasePin(settings.database_url, clock,
                       audit=DatabaseAuditLog(settings.database_url, clock, site=settings.site))
