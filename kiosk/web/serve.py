"""`kiosk serve`: the kiosk in a browser, one session per tab, via textual-serve."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

from kiosk.settings import Settings

TEMPLATES = Path(__file__).parent
"""textual-serve's page, with its web font served locally (no outside host)."""
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class ServeError(Exception):
    """Refused to serve as asked; the message says why and what to do."""


def kiosk_command(settings: Settings, config: Path | None) -> str:
    """The command each browser tab runs: `kiosk run` on the same store."""
    argv = [sys.executable, "-m", "kiosk", "run", "--data-dir", str(settings.data_dir),
            "--content", str(settings.content_dir)]
    if config is not None:
        argv += ["--config", str(config)]
    return shlex.join(argv)


def check_host(host: str, public: bool) -> str | None:
    """Refuse a non-loopback address unless asked for; returns a warning to
    print when it is."""
    if host in LOOPBACK:
        return None
    if not public:
        raise ServeError(
            f"serving on {host} lets other machines on the network open the kiosk and its "
            "check-ins; add --public if that is what you want")
    return (f"warning: the kiosk is open to every machine that can reach {host}; "
            "keep it on a private network, behind the clinic's firewall")


def check_port(host: str, port: int) -> None:
    """Refuse, in words, an address or port this machine can't listen on."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise ServeError(f"{host} is not an address of this machine ({error})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise ServeError(f"can't listen on {host} port {port}: {reason}") from None


BUSY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font: 1.5em sans-serif; margin: 3em">
<p>All {count} check-in screens are in use right now.</p>
<p>Please try again in a moment, or see the front desk.</p>
</body></html>
"""


def serve(settings: Settings, host: str, port: int, public: bool,
          config: Path | None, max_sessions: int = 4) -> None:
    """Serve until stopped. Each tab gets its own `kiosk run` process, up to
    `max_sessions` at once; the next browser is turned away with a plain page.

    Raises:
        ServeError: the address or port can't be used (said in one line).
    """
    warning = check_host(host, public)
    check_port(host, port)
    if warning:
        print(f"kiosk: {warning}", file=sys.stderr)
    server = make_server(kiosk_command(settings, config), host, port, settings.clinic_name,
                         max_sessions)
    try:
        server.serve()
    except OSError as error:  # Taken between the check and the start.
        reason = error.strerror or type(error).__name__
        raise ServeError(f"can't listen on {host} port {port}: {reason}") from None


def make_server(command: str, host: str, port: int, title: str, max_sessions: int) -> Any:
    """textual-serve's server, with its sessions checked, capped and reaped
    (`kiosk.web.tab`), and logs without locals."""
    import html
    import logging

    from aiohttp import web
    from textual_serve.server import Server

    from kiosk.web.tab import SessionCap, origin_allowed, own_names, run_session

    cap = SessionCap(max_sessions)
    names = own_names(host)

    class KioskServer(Server):
        def initialize_logging(self) -> None:
            # Its own logging shows every local variable of a failing
            # session's frames; these logs say what failed, never with what.
            logging.basicConfig(level="INFO", format="%(levelname)s %(message)s",
                                stream=sys.stderr)

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            if cap.full():
                return web.Response(
                    status=503, content_type="text/html", headers={"Retry-After": "30"},
                    text=BUSY_PAGE.format(title=html.escape(title), count=max_sessions))
            response: web.StreamResponse = await super().handle_index(request)
            return response

        async def handle_websocket(  # type: ignore[override]
                self, request: web.Request) -> web.StreamResponse:
            if not origin_allowed(request, names):
                return web.Response(status=403, text="Forbidden\n")
            return await run_session(request, self.command, cap, self.download_manager)

        async def on_shutdown(self, app: web.Application) -> None:
            await cap.stop_all()

    return KioskServer(command, host=host, port=port, title=title, templates_path=TEMPLATES)
