"""The contract every store keeps: what the desk, the kiosk and the commands
may ask of where check-ins are kept.

`Store` is all the desk and the commands use, and both stores keep all of
it. `LocalStore` adds what only a kiosk's own data folder has: saves that
failed and wait, files set aside because they did not parse, and the index
kept beside the day files. Only the day files implement it; code that needs
it asks `isinstance(store, LocalStore)` and does without otherwise.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

from kiosk.checkin.record import StoredCheckIn
from kiosk.files import StoreError
from kiosk.schedule.matching import SecondKind, Slot, Window
from kiosk.schedule.model import Appointment

__all__ = ["EVERY_SITE", "HOME_SITE", "ArchiveDamaged", "ConsentText", "Inspection",
           "LocalStore", "Record", "Recovery", "SiteStore", "SiteView", "SourceState", "Store",
           "StoreError", "UnknownCheckIn"]

Record = StoredCheckIn
"""A check-in as stored: see the data format guide (docs/pages/data.md)."""


class UnknownCheckIn(StoreError):
    """A check-in named by id is not in the store (erased meanwhile)."""


class Sites(enum.Enum):
    """Which sites' check-ins a read sees, where a store holds several."""

    HOME = "home"
    """The sites the store was opened for (a desk: its own site)."""
    EVERY = "every"
    """Every site's."""


HOME_SITE = Sites.HOME
EVERY_SITE = Sites.EVERY
SiteView = str | Sites
"""One site by name, or `HOME_SITE`, or `EVERY_SITE`. A store of one site
(the day files) sees the same whatever is asked."""


@dataclass
class Inspection:
    """What a store finds when it reads everything it holds, for `kiosk doctor`."""

    where: str
    """Where the check-ins live, for people to read."""
    exists: bool = False
    """Anything has been saved there yet."""
    checkins: int = 0
    files: int | None = None
    """How many day files hold them (None: they are not kept in files)."""
    pending: int = 0
    damaged: list[str] = field(default_factory=list)
    """Files set aside because they did not parse."""
    pending_ids: list[str] = field(default_factory=list)
    """The check-ins waiting after a failed save, by id."""
    bad_records: list[str] = field(default_factory=list)
    """Records not of the stored shape: where each is, and which field is wrong."""
    free_bytes: int | None = None
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SourceState:
    """How the last reads of one schedule source went."""

    source: str
    last_good: datetime | None = None
    """When it was last read whole; the schedule held is from then."""
    error: str | None = None
    """Why the last read failed (one line), if it did."""
    error_at: datetime | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"last_good": self.last_good.isoformat() if self.last_good else None,
                "error": self.error,
                "error_at": self.error_at.isoformat() if self.error_at else None}

    @property
    def failing(self) -> bool:
        """The last read failed: the schedule held is the last good one."""
        return self.error is not None


@dataclass(frozen=True)
class ConsentText:
    """A consent document's exact text, as a client agreed to it, kept under
    its version (the SHA-256 of the text)."""

    version: str
    document: str
    language: str
    title: str
    text: str

    def to_json(self) -> dict[str, str]:
        return {"version": self.version, "document": self.document,
                "language": self.language, "title": self.title, "text": self.text}


class ArchiveDamaged(StoreError):
    """A kept consent text does not read back as the version it is kept
    under; the message names the version, never the text."""


@dataclass
class Recovery:
    """What `LocalStore.recover` did at start."""

    saved_pending: int = 0
    """Check-ins from earlier failed saves that are now stored."""
    imported_legacy: int = 0
    """Check-ins moved from the single-file store of earlier versions."""
    removed_temporary: int = 0
    """Temporary files left by a crash mid-write, deleted."""


class Store(Protocol):
    """Where check-ins are kept: everything the desk and the commands use.

    Every method raises `StoreError` (whose message never holds an answer)
    when the store can't be read or written. Reads return records oldest
    first; `search` dates are inclusive local days. A read's `site` says
    whose check-ins it sees (`SiteView`); it is an argument of each call,
    never a setting of the store, so threads reading at once never see each
    other's choice.
    """

    def add(self, record: Mapping[str, Any]) -> str:
        """Save a check-in; returns its id once it is durable. Saving an id
        again replaces the first save, wherever it is kept."""
        ...

    def import_records(self, records: Iterable[Mapping[str, Any]]) -> int:
        """Save many at once; returns how many were new."""
        ...

    def get(self, checkin_id: str) -> Record | None: ...

    def today(self, *, site: SiteView = HOME_SITE) -> list[Record]: ...

    def all(self, *, site: SiteView = HOME_SITE) -> list[Record]: ...

    def search(
        self,
        text: str | None = None,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
        status: str | None = None,
        flagged: bool | None = None,
        *,
        site: SiteView = HOME_SITE,
    ) -> list[Record]: ...

    def find_names(self, text: str, *, limit: int, offset: int = 0,
                   site: SiteView = HOME_SITE) -> tuple[list[Record], int]:
        """Check-ins whose client name holds `text` (ignoring case), newest
        first: the `limit` after the first `offset`, and how many match in
        all. A page costs in proportion to the page, not to the history."""
        ...

    def set_status(self, checkin_id: str, status: str) -> bool: ...

    def delete(self, checkin_id: str) -> bool: ...

    def purge(self, older_than_days: int) -> int: ...

    def version(self) -> Hashable:
        """Changes whenever anything is added, changed or erased; cheap enough
        to ask twice a second."""
        ...

    def skipped(self) -> int:
        """Records the last read in this thread passed over because they are
        not of the stored shape (`inspect` names them)."""
        ...

    def inspect(self) -> Inspection:
        """Read everything and report on it (slow: for `kiosk doctor`)."""
        ...

    # -- Series: visits of one client linked by staff -------------------------

    def link(self, checkin_id: str, to: str | None = None) -> str:
        """Put a check-in in a series; returns the series id.

        `to` in a series: join it. `to` in none: start a series of the two.
        None: start a series of this one. Sessions are numbered in the order
        the visits were made. Raises `UnknownCheckIn` for an id not stored.
        """
        ...

    def unlink(self, checkin_id: str) -> bool:
        """Take a check-in out of its series; False if it was in none."""
        ...

    def rejoin(self, checkin_id: str, series_id: str | None) -> None:
        """Put a check-in back in exactly this series (None: in none), even
        one that has no other member: undoes a link or an unlink."""
        ...

    def series(self, series_id: str) -> list[Record]:
        """The check-ins of a series, in session order; [] for none."""
        ...

    def suggestions(self, record: Mapping[str, Any], most: int = 20, *,
                    site: SiteView = HOME_SITE) -> list[Record]:
        """Earlier check-ins with the same first name and last initial, newest
        first: the visits staff may link this one to."""
        ...


    # -- The day's appointments ---------------------------------------------------

    def put_appointments(self, source: str, first: date, last: date,
                         appointments: Sequence[Appointment]) -> int:
        """Replace what `source` said of the local days `first`..`last` with
        `appointments` (for this store's own site); returns how many of them
        those days now hold. Importing the same file again changes nothing."""
        ...

    def appointments(self, first: date, last: date | None = None, *,
                     site: SiteView = HOME_SITE) -> list[Appointment]:
        """The bookings on the local days `first`..`last` (one day if no
        `last`), by start; entries not of the kept shape are counted in
        `skipped`."""
        ...

    def open_slots(self, key: str, now: datetime, window: Window) -> list[Slot]:
        """The bookings open at `now` (in the arrival window, not matched to a
        check-in yet) with this name key, and those with no name: as the
        kiosk may see them, without names."""
        ...

    def second_matches(self, ids: Sequence[str], kind: SecondKind, value: str) -> set[str]:
        """Which of these bookings carry this second identifier."""
        ...

    def set_appointment(self, checkin_id: str, appointment: Mapping[str, Any] | None) -> bool:
        """Match a check-in to a booking (as `Slot.to_record` keeps it), or
        (None) to none; False if there is no such check-in."""
        ...

    def schedule_states(self) -> list[SourceState]:
        """Each schedule source's last reads."""
        ...

    def note_schedule_read(self, source: str, error: str | None) -> None:
        """A read of `source` went well (None), or failed, saying why."""
        ...

    # -- Consent texts ------------------------------------------------------------

    def keep_consent_text(self, text: ConsentText) -> None:
        """Keep a consent document's exact text under its version, once:
        kept texts are never changed or erased (records point to them)."""
        ...

    def consent_text(self, version: str) -> ConsentText | None:
        """The text kept under this version; None if none is; raises
        `ArchiveDamaged` for one that does not read back whole."""
        ...


@runtime_checkable
class LocalStore(Store, Protocol):
    """A kiosk's own data folder: saves that failed wait there, damaged
    files are set aside, and an index is kept beside the check-ins."""

    def recover(self) -> Recovery:
        """At start: store what earlier failed saves kept, tidy after a crash."""
        ...

    def pending_count(self) -> int:
        """Check-ins whose save failed and that are not stored yet."""
        ...

    def damaged_count(self) -> int:
        """Files set aside because they did not parse."""
        ...

    def held_in_memory(self) -> int:
        """Check-ins this process could not write anywhere yet: lost if it
        stops before `retry` stores them."""
        ...

    def retry(self) -> int:
        """Try again to store what failed saves kept; returns how many are
        now stored. Never raises: what still can't be written stays kept."""
        ...

    def repair_index(self) -> bool:
        """Compare the index with the check-ins themselves, and rebuild it if
        they disagree; True if it was rebuilt."""
        ...

    def mend_duplicates(self) -> int:
        """Take out older copies of a check-in stored twice; returns how many."""
        ...


@runtime_checkable
class SiteStore(Protocol):
    """A store shared by several sites (clinics of a chain)."""

    site: str
    """This machine's own site."""

    def sites(self) -> list[str]:
        """Every site with check-ins, in order."""
        ...
