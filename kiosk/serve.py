"""`kiosk serve`: the kiosk in a browser, one session per tab, via textual-serve."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from kiosk.settings import Settings

TEMPLATES = Path(__file__).parent / "web"
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


def serve(settings: Settings, host: str, port: int, public: bool,
          config: Path | None) -> None:
    """Serve until stopped. Each tab gets its own `kiosk run` process."""
    warning = check_host(host, public)
    if warning:
        print(f"kiosk: {warning}", file=sys.stderr)
    from textual_serve.server import Server

    server = Server(kiosk_command(settings, config), host=host, port=port,
                    title=settings.clinic_name, templates_path=TEMPLATES)
    server.serve()
