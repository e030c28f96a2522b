"""Small helpers for the words people read: counts with their nouns."""

from __future__ import annotations


def plural(count: int, noun: str = "check-in", nouns: str | None = None) -> str:
    """'1 check-in', '2 check-ins'; `nouns` for a plural not made with -s."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
