"""The `kiosk` command: reads the flags and the settings, and runs the command."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk.cli.apps import _run
from kiosk.cli.parser import EXIT_BAD_INPUT, parse_args
from kiosk.content.tomltable import ContentError
from kiosk.settings import (
    SettingsError,
    load_settings,
)
from kiosk.store.postgres import DatabaseError

# Each command's own module is imported in its branch: the kiosk's start-up
# (`bench/startup.py`) reads only what `kiosk run` needs.


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code. Output cut short by
    its reader (`kiosk export | head`) ends quietly, as other tools do."""
    try:
        return _main(argv)
    except BrokenPipeError:
        import os

        # Python would complain again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    command = args.get("command") or "run"
    config: Path | None = args.get("config")
    content_dir: Path | None = args.get("content")
    try:
        if command == "demo":
            import tempfile

            with tempfile.TemporaryDirectory(prefix="kiosk-demo-") as data_dir:
                return _run(load_settings(config=config, content_dir=content_dir,
                                          data_dir=Path(data_dir), demo=True))
        settings = load_settings(config=config, content_dir=content_dir,
                                 data_dir=args.get("data_dir"))
        if command == "check-content":
            from kiosk.cli.content import _check_content

            return _check_content(settings, args.get("folder"))
        if command == "config":
            from kiosk.cli.content import _show_config

            return _show_config(settings)
        if command in ("doctor", "purge", "set-pin", "export", "erase"):
            from kiosk.cli.data import _store_command

            return _store_command(command, settings, args)
        if command == "staff":
            from kiosk.cli.apps import _staff

            return _staff(settings)
        if command == "aftercare":
            from kiosk.cli.content import _aftercare

            return _aftercare(settings, args)
        if command == "serve":
            from kiosk.cli.apps import _serve

            return _serve(settings, args)
        if command == "db":
            from kiosk.cli.data import _database

            return _database(settings, args["db_command"])
        if command == "report":
            from kiosk.cli.consent import report_command

            return report_command(settings, args)
        if command == "consent":
            from kiosk.cli.consent import consent_command

            return consent_command(settings, args)
        if command == "schedule":
            from kiosk.cli.schedule import schedule_command

            return schedule_command(settings, args)
        return _run(settings)
    except (ContentError, SettingsError, DatabaseError) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
