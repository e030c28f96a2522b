"""Run a command in a real pseudo-terminal, as a kiosk's terminal would."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping

LIMIT_S = 30.0


def run_in_pty(args: list[str], env: Mapping[str, str] | None = None,
               size: tuple[int, int] = (80, 24)) -> tuple[int, str]:
    """`python -m kiosk ARGS` in an 80x24 pty until it ends: its exit code and
    everything it wrote (screen and stderr alike)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    child = subprocess.Popen(
        [sys.executable, "-m", "kiosk", *args], stdin=slave, stdout=slave, stderr=slave,
        env={**os.environ, "TERM": "xterm-256color", **(env or {})}, close_fds=True)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + LIMIT_S
    try:
        while time.monotonic() < deadline:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # The child closed the terminal: it has ended.
                break
            if not chunk:
                break
            out += chunk
        code = child.wait(timeout=max(0.1, deadline - time.monotonic()))
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(master)
    return code, out.decode("utf-8", "replace")
