"""The audit log: who did what to which check-in, never what a client answered."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import Any

from kiosk.clock import WallClock, utc_now
from kiosk.files import append_line

AUDIT_FILE = "audit.jsonl"


class AuditLog:
    """An append-only JSON-lines file in the data folder, mode 0600.

    Each entry is a time, an action, and at most a check-in id and a count.
    """

    def __init__(self, data_dir: Path | str, clock: WallClock | None = None) -> None:
        self.path = Path(data_dir) / AUDIT_FILE
        self.clock = clock or utc_now

    def entry(self, action: str, *, checkin_id: str | None = None,
              count: int | None = None, series: str | None = None) -> dict[str, Any]:
        """One entry: the time, the action, and what it acted on."""
        entry: dict[str, Any] = {
            "at": self.clock().astimezone(UTC).isoformat(timespec="seconds"),
            "action": action,
        }
        if checkin_id is not None:
            entry["id"] = checkin_id
        if count is not None:
            entry["count"] = count
        if series is not None:
            entry["series"] = series
        return entry

    def record(self, action: str, *, checkin_id: str | None = None,
               count: int | None = None, series: str | None = None) -> None:
        """Append one entry and fsync it; raises OSError if it can't."""
        import json  # Not at import: the kiosk's first screen does not wait for it.

        entry = self.entry(action, checkin_id=checkin_id, count=count, series=series)
        append_line(self.path, json.dumps(entry).encode("utf-8"))

    def entries(self) -> list[dict[str, Any]]:
        """Every entry, oldest first; a line torn by a crash is skipped."""
        import json

        try:
            lines = self.path.read_bytes().splitlines()
        except FileNotFoundError:
            return []
        found = []
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                found.append(entry)
        return found
