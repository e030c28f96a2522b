"""A real terminal for end-to-end tests: tmux at a fixed size."""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Mapping
from pathlib import Path

from tests.support.driven import DrivenScreen

WAIT_LIMIT_S = 20.0


class Terminal(DrivenScreen):
    """One program in its own tmux server; type, tap and read the screen."""

    wait_limit_s = WAIT_LIMIT_S

    def __init__(self, socket: Path, width: int = 80, height: int = 24) -> None:
        self.socket = socket
        self.width = width
        self.height = height

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def start(self, argv: list[str], env: Mapping[str, str]) -> None:
        command = " ".join(shlex.quote(arg) for arg in argv)
        env_args = [item for key, value in env.items() for item in ("-e", f"{key}={value}")]
        self._tmux(
            "new-session", "-d", "-s", "kiosk", "-x", str(self.width), "-y", str(self.height),
            *env_args, command,
        )
        # Keep the pane when the program ends, so a test can tell it ended.
        self._tmux("set-option", "-t", "kiosk", "remain-on-exit", "on")

    def alive(self) -> bool:
        """Whether the program is still running."""
        return self._tmux("list-panes", "-t", "kiosk", "-F", "#{pane_dead}").strip() == "0"

    def send_bytes(self, data: bytes) -> None:
        """Raw bytes, as the terminal would send them for a key."""
        self._tmux("send-keys", "-t", "kiosk", "-H", *(f"{byte:02x}" for byte in data))

    def stop(self) -> None:
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True, check=False)

    def lines(self) -> list[str]:
        return self._tmux("capture-pane", "-p", "-t", "kiosk").splitlines()

    def tap_cell(self, column: int, row: int) -> None:
        """An SGR mouse press and release on a cell (1-based on the wire)."""
        x, y = column + 1, row + 1
        self._tmux("send-keys", "-t", "kiosk", "-l", f"\x1b[<0;{x};{y}M")
        self._tmux("send-keys", "-t", "kiosk", "-l", f"\x1b[<0;{x};{y}m")

    def drag(self, start: tuple[int, int], end: tuple[int, int]) -> None:
        """Press, move and release the mouse: how text gets selected."""
        (x1, y1), (x2, y2) = start, end
        for sequence in (f"\x1b[<0;{x1};{y1}M", f"\x1b[<32;{x2};{y2}M", f"\x1b[<0;{x2};{y2}m"):
            self._tmux("send-keys", "-t", "kiosk", "-l", sequence)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "kiosk", "-l", text)


