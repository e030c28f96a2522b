"""Child processes the store tests start, and what they print."""

from __future__ import annotations

from pathlib import Path

WORKER = Path(__file__).with_name("store_worker.py")


def _complete_lines(stream: bytes) -> list[str]:
    return [line.decode() for line in stream.split(b"\n")[:-1]]
