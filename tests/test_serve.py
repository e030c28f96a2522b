"""`kiosk serve` on a bad day: a busy or wrong address, and more browsers
than screens it allows. (Chromium drives a whole visit in test_browser.py.)"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp
import pytest

from tests.serving import kiosk_serve


def run_serve(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", "serve", *args, "--data-dir",
                           str(data_dir)], capture_output=True, text=True, timeout=30,
                          check=False)


def test_a_busy_port_gives_one_line_and_exit_2(data_dir: Path) -> None:
    """Before: a raw traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_serve("--port", str(port), data_dir=data_dir)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == f"kiosk: can't listen on 127.0.0.1 port {port}: Address already in use\n"


@pytest.mark.parametrize(("args", "says"), [
    (["--host", "no-such-host.invalid", "--public"], "is not an address of this machine"),
    (["--port", "70000"], "not a port"),
    (["--max-sessions", "0"], "not a number of screens"),
])
def test_a_bad_address_or_number_gives_one_line_and_exit_2(
    args: list[str], says: str, data_dir: Path
) -> None:
    done = run_serve(*args, data_dir=data_dir)
    assert done.returncode == 2 and says in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_past_max_sessions_the_next_browser_is_told_to_wait(tmp_path: Path) -> None:
    """Before: no cap; twelve browsers were twelve kiosk processes."""
    with kiosk_serve(tmp_path / "data", "--max-sessions", "1") as url:
        port = url.split(":")[2].strip("/")

        async def one_screen_open() -> tuple[tuple[int, str], bool]:
            async with aiohttp.ClientSession() as session, session.ws_connect(
                    f"ws://127.0.0.1:{port}/ws?width=80&height=24") as screen:
                # The session's kiosk is drawing: its first bytes have come.
                await asyncio.wait_for(screen.receive(), 30)
                busy = await asyncio.to_thread(_get, url)
                async with session.ws_connect(f"ws://127.0.0.1:{port}/ws") as second:
                    refused = (await asyncio.wait_for(second.receive(), 30)).type in (
                        aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
                return busy, refused

        (status, page), refused = asyncio.run(one_screen_open())
        assert status == 503 and "All 1 check-in screens are in use" in page
        assert refused, "a second screen's websocket is closed at once"
        deadline = time.monotonic() + 30
        while _get(url)[0] != 200:  # The screen closed: the next browser is welcome.
            assert time.monotonic() < deadline, "the session never ended"
            time.sleep(0.05)
