"""One browser tab's kiosk under `kiosk serve`: checked, bounded, and reaped.

textual-serve runs a child process per websocket. On a hostile network its
own handler is not enough: it accepts any `Origin` (so any web page the
clinic's browser visits can open sessions), forwards any terminal size (a
4000 by 2000 resize makes frames of tens of megabytes), and when a client drops
such a frame aiohttp's `ConnectionError` escapes its reader, so the child is
never stopped: it blocks on a pipe nobody reads, ignores SIGTERM, and no
longer counts against the cap. Here every session:

- is refused with a plain 403 unless its `Origin` is the page's own host;
- is refused (400) if it asks for a size the kiosk doesn't support, and a
  later resize beyond it is ignored;
- counts against the cap for as long as its child process lives;
- ends, however the connection ends, with its child asked to quit, then
  SIGTERM, then SIGKILL, and always reaped.

Imported only by `kiosk serve` (it needs aiohttp and textual-serve).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import shlex
import signal
import socket
from collections.abc import Iterable
from contextlib import suppress
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService

log = logging.getLogger("kiosk.web.serve")

MAX_COLUMNS = 320
MAX_ROWS = 120
"""The largest terminal a session may ask for: a wall-sized touchscreen at a
small font is well inside it; a frame for it is a few hundred kilobytes."""
MAX_MESSAGE = 64 * 1024
"""The largest websocket message a browser may send (keys, a resize)."""
GRACE_SECONDS = 3.0
"""How long a child is given to quit, then to stop after SIGTERM."""


def size_allowed(width: Any, height: Any) -> bool:
    """A terminal size the kiosk supports (whole numbers, 1 up to the maximum)."""
    return (type(width) is int and type(height) is int
            and 1 <= width <= MAX_COLUMNS and 1 <= height <= MAX_ROWS)


def _query_size(request: web.Request) -> tuple[int, int] | None:
    try:
        width = int(request.query.get("width", "80"))
        height = int(request.query.get("height", "24"))
    except ValueError:
        return None
    return (width, height) if size_allowed(width, height) else None


def own_names(host: str) -> set[str]:
    """The host names a page of this server may be loaded from: the address
    it listens on, and this machine's own names. An IP literal is always
    accepted (a rebinding attack needs a name it controls)."""
    names = {host.lower(), "localhost", socket.gethostname().lower()}
    with suppress(OSError):
        names.add(socket.getfqdn().lower())
    return names


def origin_allowed(request: web.Request, names: Iterable[str]) -> bool:
    """Whether the websocket was opened by a page of this server: its
    `Origin` is http(s) on exactly the host (and port) the request came to,
    and that host is one of this machine's."""
    origin = request.headers.get("Origin")
    if not origin:
        return False
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    if parts.netloc.lower() != request.host.lower():
        return False
    hostname = (parts.hostname or "").lower()
    try:
        ipaddress.ip_address(hostname)
        return True
    except ValueError:
        return hostname in set(names)


class KioskAppService(AppService):
    """textual-serve's session, with a child that is always stopped and reaped."""

    def __init__(self, command: str, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.remote_gone = False
        """The browser's end has failed: output is read and dropped, so the
        child never blocks on a full pipe."""

    @property
    def alive(self) -> bool:
        """The child process has not been reaped yet."""
        return self._process is not None and self._process.returncode is None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        # No shell between us and the kiosk, and a process group of its own,
        # so the signals below reach it and anything it started.
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *shlex.split(self.command), stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            env=environment, start_new_session=True)
        self._stdin = process.stdin
        return process

    async def _to_remote(self, send: Any, payload: Any) -> None:
        if self.remote_gone:
            return
        try:
            await send(payload)
        except Exception:  # aiohttp's ConnectionError("Connection lost") and kin.
            self.remote_gone = True

    async def on_data(self, payload: bytes) -> None:
        await self._to_remote(self.remote_write_bytes, payload)

    async def on_meta(self, data: bytes) -> None:
        if self.remote_gone:
            return
        try:
            await super().on_meta(data)
        except Exception:
            self.remote_gone = True

    async def send_meta(self, data: dict[str, str | int | bool | None]) -> bool:
        try:
            return bool(await super().send_meta(data))
        except Exception:  # The child's stdin is gone: it is ending anyway.
            return False

    async def send_bytes(self, data: bytes) -> bool:
        try:
            return bool(await super().send_bytes(data))
        except Exception:
            return False

    def _signal(self, number: int) -> None:
        process = self._process
        if process is None or process.returncode is not None:
            return
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, number)

    async def stop(self) -> None:
        """Ask the child to quit; after the grace period SIGTERM, then SIGKILL;
        reap it whatever happens. Safe to call twice, and from a cancelled task."""
        process = self._process
        if process is None:
            return
        with suppress(Exception):
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        if process.returncode is None:
            await self.send_meta({"type": "quit"})
        for then in (signal.SIGTERM, signal.SIGKILL):
            try:
                await asyncio.wait_for(asyncio.shield(process.wait()), GRACE_SECONDS)
                break
            except TimeoutError:
                self._signal(then)
        await process.wait()
        self._signal(signal.SIGKILL)  # Anything it left in its group.
        task, self._task = self._task, None
        if task is not None:
            try:
                await asyncio.wait_for(task, GRACE_SECONDS)
            except (TimeoutError, Exception):
                task.cancel()


class SessionCap:
    """The live sessions of one server: counted by their child processes."""

    def __init__(self, most: int) -> None:
        self.most = most
        self.services: set[KioskAppService] = set()

    def live(self) -> int:
        self.services = {service for service in self.services if service.alive}
        return len(self.services)

    def full(self) -> bool:
        return self.live() >= self.most

    async def stop_all(self) -> None:
        await asyncio.gather(*(service.stop() for service in list(self.services)),
                             return_exceptions=True)


async def run_session(request: web.Request, command: str, cap: SessionCap,
                      download_manager: Any) -> web.StreamResponse:
    """Serve one websocket: refuse what isn't allowed, else run its kiosk."""
    size = _query_size(request)
    if size is None:
        return web.Response(status=400, text="That screen size is not supported.\n")
    if cap.full():
        refused = web.WebSocketResponse()
        await refused.prepare(request)
        await refused.close(code=1013, message=b"All check-in screens are in use.")
        return refused
    websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
    service = KioskAppService(command, write_bytes=websocket.send_bytes,
                              write_str=websocket.send_str, close=websocket.close,
                              download_manager=download_manager)
    cap.services.add(service)  # Counted from before its child starts.
    try:
        await websocket.prepare(request)
        await service.start(*size)
        await _messages(websocket, service)
    except asyncio.CancelledError:
        pass  # The server is stopping; the child is stopped below all the same.
    except Exception as error:  # A peer's doing: one line, never its data.
        log.warning("a browser session ended with %s", type(error).__name__)
    finally:
        await service.stop()
        cap.services.discard(service)
        with suppress(Exception):
            await websocket.close()
    return websocket


async def _messages(websocket: web.WebSocketResponse, service: KioskAppService) -> None:
    """The browser's messages, each checked before it reaches the kiosk."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            if message.type == WSMsgType.ERROR:
                return
            continue
        try:
            envelope = message.json()
        except ValueError:
            return
        if not isinstance(envelope, list) or not envelope:
            return
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            width, height = data.get("width"), data.get("height")
            if isinstance(width, int) and isinstance(height, int) and size_allowed(width, height):
                await service.set_terminal_size(width, height)
        elif kind == "ping" and isinstance(data, (str, int, float)):
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()
