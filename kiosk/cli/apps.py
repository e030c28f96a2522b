"""The commands that start an app: `run`, `demo`, `staff`, and `serve`."""

from __future__ import annotations

import sys
from typing import Any

from kiosk.cli.parser import EXIT_BAD_INPUT
from kiosk.settings import (
    Settings,
    without_password,
)


def _staff(settings: Settings) -> int:
    from kiosk.store.choose import desk_pin

    if settings.database_url is not None:
        from kiosk.store.postgres.schema import require_current

        require_current(settings.database_url)  # One line and exit 2, before the PIN.
    try:
        is_set = desk_pin(settings).is_set()
    except OSError as error:
        print(f"kiosk: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not is_set:
        where = (without_password(settings.database_url) if settings.database_url
                 else settings.data_dir)
        print(f"kiosk: no staff PIN is set for {where}. "
              "Set one with `kiosk set-pin`, then run `kiosk staff` again.", file=sys.stderr)
        return EXIT_BAD_INPUT
    _hold_collector()
    from screens.staff_app import make_staff_app  # Textual loads only here.

    return _run_app(make_staff_app(settings))


def _serve(settings: Settings, args: dict[str, Any]) -> int:
    from kiosk.content.model import load_content
    from kiosk.web.serve import ServeError, serve

    load_content(settings.content_folder)  # A broken content file stops it here, not per tab.
    try:
        serve(settings, args["host"], args["port"], args["public"], args.get("config"),
              args["max_sessions"])
    except ServeError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


def _no_terminal() -> str | None:
    """Why this process can't draw a kiosk, or None if it can. (Under `kiosk
    serve`, textual-serve names its own driver and no terminal is needed.)"""
    import os

    if os.environ.get("TEXTUAL_DRIVER"):
        return None
    for stream, name in ((sys.stdin, "standard input"), (sys.stdout, "standard output")):
        try:
            if stream is None or stream.closed or not stream.isatty():
                return f"{name} is not a terminal"
        except (OSError, ValueError):
            return f"{name} is not a terminal"
    if os.environ.get("TERM", "") in ("", "dumb", "unknown"):
        return "the terminal type ($TERM) is not one that can show the kiosk"
    return None


def _run(settings: Settings) -> int:
    if reason := _no_terminal():
        print(f"kiosk: {reason}: run it in a terminal (or use `kiosk serve`)",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    _hold_collector()
    from screens.app import make_app  # Textual loads only for commands that draw.

    return _run_app(make_app(settings))


def _hold_collector() -> None:
    """No garbage collection until the app's first screen is drawn: start-up
    builds what lives all day (`screens.collector`; `_run_app` tells the app
    to turn it back on)."""
    import gc

    gc.disable()


def _run_app(app: Any) -> int:
    """Run the kiosk or the staff app with crashes contained; its exit status.

    A stop signal ends the process here, with the terminal given back; a
    content error found once the first screen was up (the content loads after
    it) is raised for `main` to say in one line; an app that gave up after
    errors is one line and status 1.
    """
    import gc
    import signal

    from kiosk.tty import exit_now, remember_terminal

    app.contain_crashes = True
    app.collector_held = not gc.isenabled()
    remember_terminal()
    try:
        app.run()
    except KeyboardInterrupt:
        # SIGINT is one of the stop signals: asyncio may re-raise it as the
        # loop closes, after the app has already wiped and stopped.
        app.signal_stop.signal = app.signal_stop.signal or signal.SIGINT
    if app.signal_stop.signal is not None:
        exit_now(0)
    content_error = getattr(app, "content_error", None)
    if content_error is not None:
        raise content_error
    if app.gave_up:
        where = f": the details are in {app.crash_log}" if app.crash_log else ""
        print(f"kiosk: stopped after an unexpected error{where}", file=sys.stderr)
        return 1
    return int(app.return_code or 0)
