"""Check-ins whose save failed: kept in `pending.json` beside the day files,
or in memory when even that can't be written, until a save works."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager, suppress
from pathlib import Path
from typing import Any

from kiosk.checkin.record import BadRecord, Questions, check_record
from kiosk.files import DamagedFile, StoreError, fsync_dir, move_aside, write_atomically
from kiosk.store.contract import Record

PENDING_FILE = "pending.json"


class PendingSaves:
    """The pending file of one data folder, and what this process holds in
    memory. Every write is made under the store's lock (`locked`)."""

    def __init__(self, data_dir: Path, questions: Questions,
                 locked: Callable[[], AbstractContextManager[Any]]) -> None:
        self.path = data_dir / PENDING_FILE
        self.questions = questions
        self._locked = locked
        self.memory: dict[str, Record] = {}
        """Check-ins that could not even go to the pending file."""

    def load(self) -> dict[str, Record]:
        """Everything waiting, by id: the file's and memory's. Raises
        `DamagedFile` for a file not wholly of good check-ins."""
        pending = dict(self.memory)
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return pending
        try:
            saved = json.loads(data)
        except ValueError:
            raise DamagedFile(self.path) from None
        if not isinstance(saved, list):
            raise DamagedFile(self.path)
        good = []
        for document in saved:
            try:
                check_record(document, self.questions)
            except BadRecord:
                raise DamagedFile(self.path) from None
            good.append(document)
        for document in good:
            pending.setdefault(document["id"], document)
        return pending

    def take_locked(self) -> dict[str, Record]:
        """Everything waiting, to be stored now (under the lock): a damaged
        file's good check-ins are salvaged and the file set aside."""
        try:
            return self.load()
        except DamagedFile:
            salvaged = self._salvage()
            move_aside(self.path)
            return {**salvaged, **self.memory}

    def stored_locked(self, data_dir: Path) -> None:
        """What `take_locked` gave is durable in the day files: forget it."""
        with suppress(FileNotFoundError):
            self.path.unlink()
            fsync_dir(data_dir)
        self.memory.clear()

    def _salvage(self) -> dict[str, Record]:
        """The good check-ins of a pending file that is not all good."""
        try:
            saved = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}
        good = {}
        for document in saved if isinstance(saved, list) else []:
            try:
                check_record(document, self.questions)
            except BadRecord:
                continue
            good[document["id"]] = document
        return good

    def keep(self, document: Record) -> None:
        """Keep a check-in whose save failed: on disk if possible, else in memory."""
        self.memory[document["id"]] = document
        try:
            with self._locked():
                pending = self.load()
                write_atomically(self.path, json.dumps(
                    list(pending.values()), ensure_ascii=False).encode("utf-8"))
        except (OSError, StoreError):
            return  # Stays in memory, retried by the next save.
        self.memory.clear()

    def count(self) -> int:
        """Check-ins whose save failed and that are not stored yet."""
        try:
            return len(self.load())
        except (DamagedFile, OSError):
            return len(self.memory)

    def waiting(self) -> bool:
        return bool(self.memory) or self.path.exists()
