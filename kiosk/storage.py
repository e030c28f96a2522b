"""The TinyDB storage the check-in store writes through: atomic and strict."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from kiosk.store import read_tinydb, write_atomically


class AtomicJSONStorage(Storage):
    """JSON on disk, replaced whole on every write so a crash never leaves
    half a file; a file that doesn't parse raises `DamagedFile` instead of
    being treated as empty and written over.

    It is TinyDB's own extension point: `TinyDB(path, storage=AtomicJSONStorage)`.
    The file is parsed once per opening: the store opens it afresh for each
    change, inside its lock, so nothing else can change it meanwhile.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._data: dict[str, dict[str, Any]] | None = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._data is None:
            self._data = read_tinydb(self.path)
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_atomically(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        self._data = data
