"""`kiosk serve` on a bad day: a busy or wrong address, and more browsers
than screens it allows. (Chromium drives a whole visit in test_browser.py.)"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp
import pytest
import websocket

from tests.support.serving import children, kiosk_serve
from tests.support.wait import wait_until


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
                    f"ws://127.0.0.1:{port}/ws?width=80&height=24",
                    origin=f"http://127.0.0.1:{port}") as screen:
                # The session's kiosk is drawing: its first bytes have come.
                await asyncio.wait_for(screen.receive(), 30)
                busy = await asyncio.to_thread(_get, url)
                async with session.ws_connect(f"ws://127.0.0.1:{port}/ws",
                                              origin=f"http://127.0.0.1:{port}") as second:
                    refused = (await asyncio.wait_for(second.receive(), 30)).type in (
                        aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
                return busy, refused

        (status, page), refused = asyncio.run(one_screen_open())
        assert status == 503 and "All 1 check-in screens are in use" in page
        assert refused, "a second screen's websocket is closed at once"
        # The screen closed: the next browser is welcome.
        wait_until(lambda: _get(url)[0] == 200, "the session to end")


# -- A hostile network -----------------------------------------------------------------


def _port(url: str) -> int:
    return int(url.split(":")[2].strip("/"))


def _screen(port: int, *, origin: str | None = None, query: str = "width=80&height=24"):
    """A browser's websocket to the kiosk, once its first bytes have come."""
    screen = websocket.create_connection(
        f"ws://127.0.0.1:{port}/ws?{query}", timeout=30,
        origin=origin or f"http://127.0.0.1:{port}")
    screen.recv()
    return screen


def _drop(screen) -> None:
    """Gone without a goodbye, as a tab that can't take a frame is: a reset."""
    if screen.sock is None:
        return  # Closed already.
    screen.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    screen.sock.close()


def _is_pong(frame: str | bytes) -> bool:
    return isinstance(frame, str) and json.loads(frame)[:1] == ["pong"]


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:1",
                                    "file://", "https://attacker.test:8000"])
def test_a_page_of_another_site_is_refused(origin: str, tmp_path: Path) -> None:
    """Before: any page the clinic's browser visited could open kiosk sessions."""
    with kiosk_serve(tmp_path / "data") as url:
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            _screen(_port(url), origin=origin)
        assert refused.value.status_code == 403
        assert children(url.pid) == [], "no kiosk was started for it"


@pytest.mark.parametrize("query", ["width=4000&height=2000", "width=80&height=0",
                                   "width=x&height=24"])
def test_a_size_the_kiosk_does_not_support_is_refused(query: str, tmp_path: Path) -> None:
    with kiosk_serve(tmp_path / "data") as url:
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            _screen(_port(url), query=query)
        assert refused.value.status_code == 400
        assert children(url.pid) == []


def test_the_resize_attack_leaves_no_kiosk_behind_and_the_cap_holds(tmp_path: Path) -> None:
    """Before: a 4000 by 2000 resize made a frame of megabytes; a client that
    dropped it left its `kiosk run` blocked on a pipe nobody read, out of
    the count, so the next browser got one more session than the cap."""
    with kiosk_serve(tmp_path / "data", "--max-sessions", "2") as url:
        port = _port(url)
        for _ in range(5):
            # A dropped session counts until its kiosk is reaped: wait for room.
            wait_until(lambda: len(children(url.pid)) < 2, "room for the next attack")
            screen = _screen(port)
            screen.send(json.dumps(["resize", {"width": 4000, "height": 2000}]))
            screen.send(json.dumps(["ping", "after"]))
            try:
                while not _is_pong(screen.recv()):
                    pass  # The resize has been dealt with by the time the pong comes.
            except websocket.WebSocketConnectionClosedException:
                pass  # Ended by the server meanwhile: its kiosk must go all the same.
            _drop(screen)
        wait_until(lambda: children(url.pid) == [], "every dropped session's kiosk was reaped")
        first, second = _screen(port), _screen(port)
        third = websocket.create_connection(f"ws://127.0.0.1:{port}/ws", timeout=30,
                                            origin=f"http://127.0.0.1:{port}")
        with pytest.raises(websocket.WebSocketConnectionClosedException):
            while True:
                third.recv()
        assert len(children(url.pid)) == 2, "two screens, two kiosks, no more"
        for screen in (first, second):
            _drop(screen)
        wait_until(lambda: children(url.pid) == [], "both kiosks reaped")


def test_stopping_serve_stops_every_kiosk(tmp_path: Path) -> None:
    with kiosk_serve(tmp_path / "data") as url:
        screen = _screen(_port(url))
        kiosks = children(url.pid)
        assert kiosks
    wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in kiosks),
                "the kiosk went with the server")
    screen.close()
