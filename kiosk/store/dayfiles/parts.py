"""Parsed day files kept between reads: a staff screen's poll parses only
the part a save changed, not the whole busy day again."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from kiosk.store.contract import Record

CACHED_RECORDS = 60_000
"""How many parsed check-ins a store keeps between reads (the staff
screen's queue on a very busy day)."""


class Part:
    """A day file's documents as parsed, with what reading them found out,
    filled in as readers need it."""

    __slots__ = ("moments", "records", "verdicts")

    def __init__(self, records: list[Record]) -> None:
        self.records = records
        self.verdicts: list[bool | None] = [None] * len(records)
        """Whether each is of the stored shape (None: not checked yet)."""
        self.moments: list[datetime | None] = [None] * len(records)
        """When each was made (None: not read yet)."""


class PartCache:
    """Parts by path, each kept while its file is the same (its inode, mtime
    and size), up to `CACHED_RECORDS` check-ins, the longest unread going
    first. Safe to share between threads."""

    def __init__(self, limit: int = CACHED_RECORDS) -> None:
        self.limit = limit
        self._parsed: dict[Path, tuple[tuple[int, ...], Part]] = {}
        self._lock = threading.Lock()

    def part(self, path: Path, parse: Callable[[Path], list[Record]]) -> Part:
        """The file's part, parsed with `parse` unless kept. Raises what
        `stat` raises, but for a file that is gone (an empty part)."""
        try:
            seen = path.stat()
        except FileNotFoundError:
            return Part([])
        # Taken before reading: a file replaced meanwhile is read again next time.
        key = (seen.st_ino, seen.st_mtime_ns, seen.st_size)
        with self._lock:
            cached = self._parsed.pop(path, None)
            if cached is not None and cached[0] == key:
                self._parsed[path] = cached  # Read last, so evicted last.
                return cached[1]
        parsed = Part(parse(path))
        with self._lock:
            self._parsed[path] = (key, parsed)
            held = sum(len(entry[1].records) for entry in self._parsed.values())
            while held > self.limit and len(self._parsed) > 1:
                oldest = next(iter(self._parsed))
                held -= len(self._parsed.pop(oldest)[1].records)
        return parsed


@contextmanager
def collector_paused() -> Iterator[None]:
    """Parsing years of day files makes millions of objects; the cyclic
    garbage collector would scan them over and over (2.4 s → 0.8 s for
    100,000 check-ins with it paused). JSON makes no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
