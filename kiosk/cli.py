"""The `kiosk` command: run, demo, check-content and config."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from kiosk.content import ContentError, load_content
from kiosk.settings import Settings, SettingsError, load_settings

EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    # SUPPRESS: an option given before the command must survive the
    # subcommand's parser, which would otherwise reset it to None.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--config", type=Path, metavar="FILE",
                        help="settings file (default: $KIOSK_CONFIG, then the "
                             "platform's config folder)")
    common.add_argument("--content", type=Path, metavar="DIR",
                        help="a clinic's own copy of the content folder")
    stored = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    stored.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="where check-ins are saved (default: $KIOSK_DATA_DIR, "
                             "then the platform's user data folder)")
    parser = argparse.ArgumentParser(
        prog="kiosk", parents=[common, stored],
        description="A check-in kiosk for a massage clinic's reception.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", parents=[common, stored], help="run the kiosk (the default)",
                        description="Run the kiosk full-screen in this terminal.")
    commands.add_parser("demo", parents=[common], help="try the kiosk on throw-away data",
                        description="Run the kiosk with a DEMO mark, saving check-ins "
                                    "to a temporary folder that is deleted on exit.")
    check = commands.add_parser(
        "check-content", parents=[common], help="check a content folder",
        description="Check every content file; print the first problem and exit 2, "
                    "or print a summary and exit 0.")
    check.add_argument("folder", nargs="?", type=Path, metavar="DIR",
                       help="the folder to check (default: the kiosk's own)")
    commands.add_parser("config", parents=[common, stored], help="show the effective settings",
                        description="Print each setting, its value and where it came from.")
    return parser


def _check_content(folder: Path) -> int:
    content = load_content(folder)
    print(
        f"{folder}: OK: {len(content.walkthrough.pages)} walkthrough pages, "
        f"{len(content.questions)} questions, {len(content.rules.recommend)} "
        f"recommendation rules, {len(content.rules.flags)} flags."
    )
    return 0


def _show_config(settings: Settings) -> int:
    for field in fields(Settings):
        if field.name != "sources":
            value = getattr(settings, field.name)
            print(f"{field.name} = {value!s}    ({settings.sources[field.name]})")
    return 0


def _run(settings: Settings) -> int:
    from kiosk.app import make_app  # Textual loads only for commands that draw.

    make_app(settings).run()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = vars(_parser().parse_args(argv))
    command = args.get("command") or "run"
    sources = {"config": args.get("config"), "content_dir": args.get("content")}
    try:
        if command == "demo":
            with tempfile.TemporaryDirectory(prefix="kiosk-demo-") as data_dir:
                return _run(load_settings(**sources, data_dir=Path(data_dir), demo=True))
        settings = load_settings(**sources, data_dir=args.get("data_dir"))
        if command == "check-content":
            return _check_content(args.get("folder") or settings.content_dir)
        if command == "config":
            return _show_config(settings)
        return _run(settings)
    except (ContentError, SettingsError) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
