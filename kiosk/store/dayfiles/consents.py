"""Consent texts in the data folder: `consent/<version>.json`, each the exact
text a client agreed to, written once (durably) and never changed or erased
while the folder lives: check-ins point to them by version."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from kiosk.files import make_dirs, write_atomically
from kiosk.store.contract import ConsentText
from kiosk.store.shared import consent_text_from

FOLDER = "consent"
_VERSION = re.compile(r"[0-9a-f]{64}")


class ConsentArchive:
    """The consent texts of one data folder."""

    def __init__(self, data_dir: Path, locked: Callable[[], AbstractContextManager[None]]
                 ) -> None:
        self.folder = data_dir / FOLDER
        self._locked = locked

    def path(self, version: str) -> Path:
        if not _VERSION.fullmatch(version):
            raise ValueError("a consent text's version is a SHA-256 in hex")
        return self.folder / f"{version}.json"

    def keep(self, text: ConsentText) -> None:
        path = self.path(text.version)
        if path.exists():
            return  # The same version is the same text: kept once.
        with self._locked():
            make_dirs(self.folder)
            if not path.exists():
                write_atomically(path, json.dumps(text.to_json(), ensure_ascii=False).encode())

    def get(self, version: str) -> ConsentText | None:
        try:
            path = self.path(version)
        except ValueError:
            return None
        try:
            data: Any = json.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except ValueError:
            data = None
        return consent_text_from(data, version)

    def versions(self) -> list[str]:
        """Every version kept here."""
        return sorted(path.stem for path in self.folder.glob("*.json")
                      if _VERSION.fullmatch(path.stem))
