"""Files the program writes and reads back: atomic replace, a lock across
processes, and strict parsing of TinyDB's JSON. Nothing here knows what a
check-in is."""

from __future__ import annotations

import errno
import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

LOCK_FILE = ".lock"

TinyDBData = dict[str, dict[str, Any]]
"""A TinyDB file: table name to document id to document."""


class StoreError(Exception):
    """Data could not be read or written; the message holds no answers."""


class DamagedFile(StoreError):
    """A data file that does not parse as what it should be."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path.name} does not parse")
        self.path = path


def fsync_dir(folder: Path) -> None:
    """Make a rename or an unlink in `folder` survive a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dirs(folder: Path) -> None:
    """`mkdir -p` that survives a power cut: each folder made (0700) is
    fsynced into the folder above it, so what is saved inside it later can't
    vanish with it."""
    folder = Path(folder)
    if folder.is_dir():
        return
    make_dirs(folder.parent)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        if not folder.is_dir():
            raise
        return  # Another process made it, and made it durable.
    fsync_dir(folder.parent)


def move_aside(path: Path, tag: str = "corrupt") -> Path:
    """Rename a file that can't be trusted to `NAME.<tag>-<UTC time>` beside
    it, its bytes kept, durably; returns the new path."""
    from datetime import UTC, datetime

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    target = path.with_name(f"{path.name}.{tag}-{stamp}")
    os.rename(path, target)
    fsync_dir(path.parent)
    return target


def append_line(path: Path, line: bytes) -> None:
    """Append one line to a log and fsync it; a new log is fsynced into its
    folder too. A last line torn by a power cut (no newline) is ended first,
    so this line is never glued onto it and lost with it. Raises OSError."""
    make_dirs(path.parent)
    try:
        # O_APPEND: lines from several processes never interleave.
        fd = os.open(path, os.O_RDWR | os.O_APPEND)
        created = False
    except FileNotFoundError:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        created = True
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line
        os.write(fd, line + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        fsync_dir(path.parent)


@contextmanager
def data_lock(data_dir: Path, name: str = LOCK_FILE) -> Iterator[None]:
    """An exclusive lock on a file in the data folder, across processes and
    threads (flock locks belong to each open file, not to the process)."""
    fd = os.open(Path(data_dir) / name, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # Closing releases the lock.


def write_atomically(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new file.

    The new file is made 0600 (mkstemp), written and fsynced beside the old
    one, then renamed over it: a symlink at `path` is replaced, never followed.
    `replace` False: never over a file, even one that appeared meanwhile
    (FileExistsError).
    """
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            _move_without_replacing(Path(temporary), path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    fsync_dir(path.parent)


def _move_without_replacing(temporary: Path, path: Path) -> None:
    """Rename, failing if `path` exists (a hard link does that atomically,
    where the file system has them)."""
    try:
        os.link(temporary, path)
    except OSError as error:
        if isinstance(error, FileExistsError) or error.errno not in (
                errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        # No hard links here (a FAT memory stick): check, then rename.
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
        os.rename(temporary, path)
        return
    os.unlink(temporary)


def parse_tinydb(path: Path, data: bytes) -> TinyDBData | None:
    """A TinyDB file's contents from its bytes; None if it was never written.

    Raises:
        DamagedFile: if it is not JSON of TinyDB's shape.
    """
    import json  # Here, not at import: the kiosk's first screen needs no JSON.

    if not data.strip():
        return None  # Never written: nothing to lose.
    try:
        parsed = json.loads(data)
    except ValueError:
        raise DamagedFile(path) from None
    # TinyDB's document ids are whole numbers: any other key breaks every
    # later write to the file, so such a file is as damaged as a torn one.
    if not isinstance(parsed, dict) or not all(
        isinstance(table, dict) and all(
            key.isdigit() and isinstance(doc, dict) for key, doc in table.items())
        for table in parsed.values()
    ):
        raise DamagedFile(path)
    return parsed


def read_tinydb(path: Path) -> TinyDBData | None:
    """A TinyDB file's contents; None if it is missing or empty."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return parse_tinydb(path, data)
