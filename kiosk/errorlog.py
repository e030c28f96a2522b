"""The error log: what went wrong and where in the code, never what a client
entered. A file in the data folder, mode 0600, rotated at 1 MiB."""

from __future__ import annotations

import io
import logging
import os
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

ERROR_LOG = "errors.log"
MOST_BYTES = 1024 * 1024
KEEP = 3


class _PrivateRotatingFile(RotatingFileHandler):
    """Every file it opens, the first and each after a rotation, is 0600."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return open(fd, "a", encoding=self.encoding or "utf-8")


def describe_error(error: BaseException) -> str:
    """The error's type and the code it went through, file, line and function:
    no message (it may quote an answer) and no local variables."""
    lines = [f"{type(error).__module__}.{type(error).__qualname__}"]
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")
        # A failed worker wraps the real error in `.error`.
        wrapped = getattr(current, "error", None)
        current = (wrapped if isinstance(wrapped, BaseException) else None) or (
            current.__cause__ or current.__context__)
        if current is not None:
            lines.append(f"from {type(current).__qualname__}")
    return "\n".join(lines)


def log_error(data_dir: Path, where: str, error: BaseException) -> Path | None:
    """Append the error to the data folder's error log; its path, or None if
    even that could not be written (the kiosk goes on all the same)."""
    path = Path(data_dir) / ERROR_LOG
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = _PrivateRotatingFile(path, maxBytes=MOST_BYTES, backupCount=KEEP,
                                       encoding="utf-8")
    except OSError:
        return None
    logger = logging.Logger(f"kiosk.errors.{where}")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    logger.addHandler(handler)
    try:
        logger.error("%s", describe_error(error))
    finally:
        handler.close()
    return path
