"""`kiosk serve` under load: 1, 3 and 10 simultaneous sessions, each tapping
through the whole visit over the websocket, as a browser tab would.

    python bench/serve.py [--sessions 1 3 10]

For each load, prints the per-step latency (a tap sent until the screen it
leads to has arrived; p50 and p95 over every step of every session), the
time for a whole visit, and the host's memory (the server and every kiosk
process it runs, at the peak). The 1-session row is the baseline the others
are divided by.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pyte

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.support.driven import DrivenScreen  # noqa: E402
from tests.support.e2e import tap_through_visit  # noqa: E402  (the same visit the tests tap)

WIDTH, HEIGHT = 80, 24


class Session(DrivenScreen):
    """One kiosk session over the websocket, driven like the tests' terminal
    and browser (the tests' visit driver taps it)."""

    wait_limit_s = 60.0

    def __init__(self, url: str) -> None:
        self.url = url
        self.screen = pyte.Screen(WIDTH, HEIGHT)
        self.stream = pyte.ByteStream(self.screen)
        self.lock = threading.Lock()
        self.outbox: asyncio.Queue[str] | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.steps: list[float] = []
        self.ready = threading.Event()
        threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True).start()
        self.ready.wait(30)

    async def _run(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.outbox = asyncio.Queue()
        async with aiohttp.ClientSession() as client, client.ws_connect(
            f"{self.url}ws?width={WIDTH}&height={HEIGHT}"
        ) as socket_:
            await socket_.send_str(json.dumps(["resize", {"width": WIDTH, "height": HEIGHT}]))
            self.ready.set()

            async def send() -> None:
                while True:
                    await socket_.send_str(await self.outbox.get())

            sender = asyncio.create_task(send())
            async for message in socket_:
                if message.type == aiohttp.WSMsgType.BINARY:
                    with self.lock:
                        self.stream.feed(message.data)
                elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    break
            sender.cancel()

    def _send(self, data: str) -> None:
        assert self.loop and self.outbox
        self.loop.call_soon_threadsafe(self.outbox.put_nowait, json.dumps(["stdin", data]))

    def lines(self) -> list[str]:
        with self.lock:
            return list(self.screen.display)

    def tap_cell(self, column: int, row: int) -> None:
        x, y = column + 1, row + 1
        self._send(f"\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m")

    def tap_until(self, text: str, condition: Callable[[str], bool], what: str) -> str:
        deadline = time.monotonic() + 120
        tapped = 0.0
        while True:
            if text in self.text():
                # Timed from the tap that worked: a tap a button ignored (it
                # was still showing the last press) is tapped again after 0.5 s.
                self.tap(text)
                tapped = time.monotonic()
            # Under load the screen may take longer than that to change: once
            # the control is gone, the tap landed; only wait.
            retry = time.monotonic() + 0.5
            while time.monotonic() < min(retry, deadline):
                if condition(screen := self.text()):
                    self.steps.append(time.monotonic() - tapped)
                    return screen
                time.sleep(0.01)
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out waiting for {what}")


def rss_kib(root: int) -> int:
    """Resident memory of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def run_load(count: int) -> dict[str, float]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as folder:
        server = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "serve", "--port", str(port),
             "--data-dir", folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("kiosk serve never listened") from None
                    time.sleep(0.05)
            url = f"http://127.0.0.1:{port}/"
            sessions = [Session(url) for _ in range(count)]
            visits: list[float] = []
            failures: list[str] = []
            peak = 0

            def visit(session: Session) -> None:
                try:
                    session.wait_for("First visit")
                    started = time.monotonic()
                    tap_through_visit(session, first="Bench", initial="b", keyboard=True)
                    visits.append(time.monotonic() - started)
                except Exception as error:  # Reported below, with the screen.
                    failures.append(f"{error}\n{session.text()}")

            threads = [threading.Thread(target=visit, args=(s,)) for s in sessions]
            for thread in threads:
                thread.start()
            while any(thread.is_alive() for thread in threads):
                peak = max(peak, rss_kib(server.pid))
                time.sleep(0.2)
            if failures:
                raise RuntimeError(f"{len(failures)} session(s) failed: {failures[0]}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    steps = sorted(step for session in sessions for step in session.steps)
    return {
        "p50": statistics.median(steps),
        "p95": steps[round(0.95 * (len(steps) - 1))],
        "visit": statistics.median(visits),
        "memory": peak / 1024,
        "steps": len(steps),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 3, 10])
    args = parser.parse_args()
    os.chdir(ROOT)
    rows = []
    for count in args.sessions:
        rows.append((count, run_load(count)))
        print(f"  measured {count} session(s)", flush=True)
    base = rows[0][1]
    print(f"\nEach session taps through the whole visit ({WIDTH}x{HEIGHT}); "
          f"the first row is the baseline.\n")
    print("| sessions | step p50 | step p95 | p50 vs base | visit | host memory "
          "| memory / session |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for count, row in rows:
        print(f"| {count} | {row['p50'] * 1000:.0f} ms | {row['p95'] * 1000:.0f} ms "
              f"| {row['p50'] / base['p50']:.2f}x | {row['visit']:.1f} s "
              f"| {row['memory']:.0f} MiB | {row['memory'] / count:.0f} MiB |")


if __name__ == "__main__":
    main()
