"""The check-in store: every saved check-in, in TinyDB in the data folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tinydb import TinyDB

CHECKINS_FILE = "checkins.json"


class StoreError(Exception):
    """The store could not read or write; the message holds no answers."""


class CheckInStore:
    """Check-ins saved as TinyDB documents, keyed by their uuid `id`.

    Each call opens the file afresh, so a kiosk and a staff process on the
    same folder see each other's writes.
    """

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        """The folder the check-ins live in (made on the first save)."""
        self.path = self.data_dir / CHECKINS_FILE
        """The TinyDB file."""

    def _open(self, *, create: bool) -> TinyDB:
        # Imported here so that start-up does not wait for it.
        from tinydb import TinyDB

        if create:
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not self.path.exists():
                # Check-ins are health data: readable by this user only.
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        # UTF-8 whatever the locale: names like "Zoë" must survive a C locale.
        return TinyDB(self.path, create_dirs=False, ensure_ascii=False, encoding="utf-8")

    def _run(self, action: str, create: bool, work: Any) -> Any:
        if not create and not self.path.exists():
            return None
        try:
            with self._open(create=create) as db:
                return work(db.table("checkins"))
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) else "unreadable data"
            raise StoreError(f"could not {action} check-ins in {self.data_dir}: {reason}") from None

    def add(self, record: dict[str, Any]) -> str:
        """Save a check-in and return its id."""
        if not record.get("id"):
            raise ValueError("a check-in needs an id")
        import json

        # A round trip through JSON proves the record is storable before
        # anything is written, so a bad record never leaves half a file.
        document = json.loads(json.dumps(record, ensure_ascii=False))
        self._run("save", True, lambda table: table.insert(document))
        return record["id"]

    def get(self, checkin_id: str) -> dict[str, Any] | None:
        """The check-in with this id, or None."""
        from tinydb import Query

        found = self._run(
            "read", False, lambda table: table.get(Query().id == checkin_id)
        )
        return dict(found) if found else None

    def all(self) -> list[dict[str, Any]]:
        """Every check-in, oldest first."""
        found = self._run("read", False, lambda table: table.all()) or []
        return sorted((dict(doc) for doc in found), key=lambda doc: doc["created_at"])
