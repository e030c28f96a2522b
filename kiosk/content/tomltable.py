"""TOML files read with checks that name the file and the place of a problem."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class ContentError(Exception):
    """A content file is missing or wrong; the message names the file."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        """The file at fault."""
        self.problem = problem
        """What is wrong with it, in plain words."""


IDENTIFIER = re.compile(r"[a-z0-9_-]{1,40}")
"""Ids of questions, options, massage types and flags: they go into widget
ids, file names and URLs, so nothing else is allowed."""

# Text direction overrides reorder the rest of a line around them.
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def control_characters(text: str, *, lines: bool = False) -> bool:
    """Whether `text` holds a character a terminal would act on rather than
    show (ESC and the other controls, direction overrides); newlines count
    only if `lines` is False."""
    return any(
        (unicodedata.category(char) == "Cc" and not (lines and char == "\n")) or char in _BIDI
        for char in text)


class Table:
    """A TOML table read with checks that name the file and the place."""

    def __init__(self, path: Path, data: dict[str, Any], where: str = "") -> None:
        self.path = path
        self.data = data
        self.where = where
        self.used: set[str] = set()

    def fail(self, problem: str) -> ContentError:
        place = f"{self.where}: " if self.where else ""
        return ContentError(self.path, place + problem)

    def _get(self, key: str, kind: type, noun: str, default: Any) -> Any:
        self.used.add(key)
        if key not in self.data:
            if default is ...:
                raise self.fail(f"'{key}' is missing")
            return default
        value = self.data[key]
        # bool is an int in Python; TOML keeps them apart, and so do we.
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise self.fail(f"'{key}' must be {noun}, not {value!r}")
        return value

    def text(self, key: str, default: Any = ...) -> str:
        value: str = self._get(key, str, "text", default)
        if default is ... and not value.strip():
            raise self.fail(f"'{key}' is empty")
        if control_characters(value, lines=True):
            raise self.fail(f"'{key}' holds a control character (such as ESC)")
        return value

    def ident(self, key: str) -> str:
        """An id: lower-case letters, digits, _ and -."""
        value = self.text(key)
        if not IDENTIFIER.fullmatch(value):
            raise self.fail(f"'{key}' must be lower-case letters, digits, _ or -, not {value!r}")
        return value

    def integer(self, key: str, default: Any = ...) -> int:
        value: int = self._get(key, int, "a whole number", default)
        return value

    def boolean(self, key: str, default: Any = ...) -> bool:
        value: bool = self._get(key, bool, "true or false", default)
        return value

    def strings(self, key: str, default: Any = ...) -> list[str]:
        value: list[str] = self._get(key, list, "a list of texts", default)
        if not all(isinstance(item, str) for item in value):
            raise self.fail(f"'{key}' must be a list of texts")
        if any(control_characters(item) for item in value):
            raise self.fail(f"'{key}' holds a control character (such as ESC)")
        return value

    def tables(self, key: str, noun: str, default: Any = ...) -> Iterator[Table]:
        value = self._get(key, list, f"a list of {noun}s", default)
        for number, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                raise self.fail(f"{noun} {number} of '{key}' must be a table")
            yield Table(self.path, item, self._join(f"{noun} {number}"))

    def table(self, key: str) -> Table:
        value = self._get(key, dict, "a table", ...)
        return Table(self.path, value, self._join(f"[{key}]"))

    def _join(self, where: str) -> str:
        return f"{self.where}, {where}" if self.where else where

    def done(self) -> None:
        """Reject keys nobody read: a typo must not pass silently."""
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.fail(f"unknown key '{unknown[0]}'")


def read_text(path: Path, *, missing: str = "the file is missing") -> str:
    """A content file's text: one line naming it if it is missing, can't be
    read, or is not UTF-8."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ContentError(path, missing) from None
    except OSError as error:
        raise ContentError(path, f"cannot be read ({error.strerror})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError(path, "is not UTF-8 text") from None


def read_toml(path: Path) -> Table:
    try:
        data = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as error:
        raise ContentError(path, f"is not valid TOML ({error})") from None
    return Table(path, data)
