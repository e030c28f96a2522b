"""`kiosk serve` started for a test, on a free port of this machine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.wait import wait_until


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served(str):
    """The URL of a `kiosk serve`, with its process id."""

    pid: int


def children(pid: int) -> list[int]:
    """Every live process under `pid` (its children, theirs, and so on)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":  # A zombie is dead, only not yet reaped.
            parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        for child, its_parent in parents.items():
            if its_parent == parent:
                found.append(child)
                frontier.append(child)
    return found


@contextmanager
def kiosk_serve(data_dir: Path, *args: str) -> Iterator[Served]:
    """`kiosk serve ARGS` until the block ends; yields its URL once it listens."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "serve", "--port", str(port), *args,
         "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        def listening() -> bool:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            except OSError:
                assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                return False
            return True

        wait_until(listening, "kiosk serve to listen")
        served = Served(f"http://127.0.0.1:{port}/")
        served.pid = server.pid
        yield served
    finally:
        server.terminate()
        server.wait(timeout=10)
