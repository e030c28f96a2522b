"""The command line's words: every command, its flags, and their checks."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

EXIT_BAD_INPUT = 2


def parse_args(argv: Sequence[str] | None) -> dict[str, Any]:
    """The command line's flags, by name (`command` None: the kiosk)."""
    args = list(sys.argv[1:] if argv is None else argv)
    return vars(_parser(_named_command(args)).parse_args(args))


VALUED = ("--config", "--content", "--data-dir")
"""The flags allowed before a command, each followed by its value."""


def _named_command(args: list[str]) -> str | None:
    """The command `args` name, when it can be told without argparse: only
    the flags in `VALUED` come before it. None otherwise (help, an
    abbreviated flag, a mistake), and every command's parser is built."""
    rest = iter(args)
    for arg in rest:
        if arg in VALUED:
            next(rest, None)
        elif arg.split("=", 1)[0] not in VALUED:
            return arg if arg in COMMANDS else None
    return None


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or (`only`) the top level and one command:
    building all 24 parsers is about 5 ms of every start of the kiosk."""
    # SUPPRESS: an option given before the command must survive the
    # subcommand's parser, which would otherwise reset it to None.
    common = _Parser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--config", type=Path, metavar="FILE",
                        help="settings file (default: $KIOSK_CONFIG, then the "
                             "platform's config folder)")
    common.add_argument("--content", type=Path, metavar="DIR",
                        help="a clinic's own copy of the content folder")
    stored = _Parser(add_help=False, argument_default=argparse.SUPPRESS)
    stored.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="where check-ins are saved (default: $KIOSK_DATA_DIR, "
                             "then the platform's user data folder)")
    parser = _Parser(
        prog="kiosk", parents=[common, stored],
        description="A check-in kiosk for a massage clinic's reception.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, build in COMMANDS.items():
        if only is None or name == only:
            build(commands, common, stored)
    return parser


_Commands = Any  # argparse's subparsers action, which it does not name publicly.


def _run_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    commands.add_parser("run", parents=[common, stored], help="run the kiosk (the default)",
                        description="Run the kiosk full-screen in this terminal.")


def _demo_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    commands.add_parser("demo", parents=[common], help="try the kiosk on throw-away data",
                        description="Run the kiosk with a DEMO mark, saving check-ins "
                                    "to a temporary folder that is deleted on exit.")


def _check_content_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    check = commands.add_parser(
        "check-content", parents=[common], help="check a content folder",
        description="Check every content file; print the first problem and exit 2, "
                    "or print a summary and exit 0.")
    check.add_argument("folder", nargs="?", type=Path, metavar="DIR",
                       help="the folder to check (default: the kiosk's own)")


def _config_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    commands.add_parser("config", parents=[common, stored], help="show the effective settings",
                        description="Print each setting, its value and where it came from.")


def _doctor_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    commands.add_parser(
        "doctor", parents=[common, stored], help="check the data folder",
        description="Report the data folder's health: permissions, free space, check-ins "
                    "waiting after a failed save, and files moved aside because they did "
                    "not parse. Exit 0 when all is well, 1 when something needs attention.")


def _purge_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    purge = commands.add_parser(
        "purge", parents=[common, stored], help="erase old check-ins",
        description="Erase every check-in made more than DAYS days ago and say how many.")
    purge.add_argument("--older-than", type=_days, required=True, metavar="DAYS",
                       help="a whole number of days (0 erases everything before now)")


def _staff_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    commands.add_parser(
        "staff", parents=[common, stored], help="the front desk's live view of check-ins",
        description="Run the staff app on the same data folder as the kiosk: today's "
                    "queue live, flags, status, search, export, erase. Asks for the "
                    "staff PIN (set it with `kiosk set-pin`).")


def _set_pin_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    commands.add_parser(
        "set-pin", parents=[common, stored], help="set the staff PIN",
        description="Set the staff PIN (4 to 12 digits). On a terminal it asks twice; "
                    "otherwise it reads one line from standard input.")


def _export_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    export = commands.add_parser(
        "export", parents=[common, stored], help="export check-ins as CSV or JSON",
        description="Write check-ins to standard output or a file. CSV opens cleanly in a "
                    "spreadsheet (cells that look like formulas are defused); JSON is "
                    "exactly what is stored.")
    export.add_argument("--format", choices=("csv", "json", "fhir"), default="csv",
                        help="csv (a spreadsheet), json (as stored) or fhir (one FHIR R4 "
                             "Bundle: Questionnaire, QuestionnaireResponse, Observation, "
                             "Consent)")
    export.add_argument("--since", type=_date, metavar="DATE",
                        help="first day to include, YYYY-MM-DD (local time)")
    export.add_argument("--until", type=_date, metavar="DATE",
                        help="last day to include, YYYY-MM-DD (local time)")
    export.add_argument("--series", metavar="ID",
                        help="only the check-ins of this series (with --since/--until too)")
    export.add_argument("--output", type=Path, metavar="FILE",
                        help="write to FILE (made readable by you only) instead of stdout")
    export.add_argument("--force", action="store_true",
                        help="replace FILE if it exists (by default an existing file is kept)")
    sites = export.add_mutually_exclusive_group()
    sites.add_argument("--site", metavar="NAME",
                       help="with a shared database: this site's check-ins (default: "
                            "the machine's own site)")
    sites.add_argument("--all-sites", action="store_true",
                       help="with a shared database: every site's check-ins")


def _erase_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    erase = commands.add_parser(
        "erase", parents=[common, stored], help="erase one client's check-in, or a series",
        description="Erase one check-in, or every check-in of a series, for good, after a "
                    "confirmation.")
    erase.add_argument("checkin_id", metavar="ID", nargs="?",
                       help="the check-in's id")
    erase.add_argument("--series", metavar="ID", dest="series",
                       help="erase every check-in of this series instead")
    erase.add_argument("--yes", action="store_true",
                       help="don't ask (needed when standard input is not a terminal)")


def _serve_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    serve = commands.add_parser(
        "serve", parents=[common, stored], help="serve the kiosk to browsers",
        description="Serve the kiosk to web browsers with textual-serve: each tab is its own "
                    "kiosk session on the same data folder, so one machine can drive several "
                    "touchscreens. Listens on 127.0.0.1 unless told otherwise.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on")
    serve.add_argument("--max-sessions", type=_sessions, default=4, metavar="N",
                       help="at most N screens at once (1 to 64, default 4); the next "
                            "browser is told to wait")
    serve.add_argument("--public", action="store_true",
                       help="allow an address other than this machine's own (prints a warning)")


def _db_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    db = commands.add_parser(
        "db", parents=[common], help="the PostgreSQL database several machines share",
        description="The database named by database_url (or $KIOSK_DATABASE_URL).")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    actions.add_parser("migrate", parents=[common], help="create or upgrade the schema",
                       description="Apply the schema's migrations not yet applied (running it "
                                   "again does nothing).")
    actions.add_parser("status", parents=[common], help="show the schema's version",
                       description="Show the schema's version and the one this program needs.")


def _report_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    report = commands.add_parser(
        "report", parents=[common, stored], help="a series' progress report (HTML, to print)",
        description="Write one self-contained HTML file of a series' progress, for the "
                    "client's physician or insurer: the sessions, pain on the fixed 0-10 "
                    "scale, whether the change is meaningful, and the consent versions. "
                    "Made readable by you only; print it from a browser (A4 or Letter).")
    report.add_argument("--series", metavar="ID", required=True, help="the series' id")
    report.add_argument("--output", type=Path, metavar="FILE",
                        help="where to write it (default: export_dir/report-….html)")
    report.add_argument("--force", action="store_true", help="replace FILE if it exists")


def _consent_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    consent = commands.add_parser(
        "consent", help="what a client agreed to",
        description="The consent documents a check-in's client agreed to: each one's "
                    "version, language and time, and its exact text.")
    agreed = consent.add_subparsers(dest="consent_command", metavar="ACTION", required=True)
    consent_show = agreed.add_parser("show", parents=[common, stored],
                                     help="print the exact words a client agreed to",
                                     description="Print each document the check-in's client "
                                                 "agreed to, in the words they read.")
    consent_show.add_argument("checkin_id", metavar="ID", help="the check-in's id")


def _schedule_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    schedule = commands.add_parser(
        "schedule", help="the day's appointments, from the clinic's booking system",
        description="Import the day's appointments from an iCalendar file or a CSV export, "
                    "show a day's, or check a file without importing it.")
    bookings = schedule.add_subparsers(dest="schedule_command", metavar="ACTION", required=True)
    imported = bookings.add_parser(
        "import", parents=[common, stored], help="import a file (or read every source now)",
        description="Import FILE's appointments, replacing what it said before of the same "
                    "days; without FILE, read every source in 'schedule' now.")
    imported.add_argument("file", nargs="?", type=Path, metavar="FILE",
                          help="an .ics file, or a CSV mapped in kiosk.toml")
    shown = bookings.add_parser(
        "show", parents=[common, stored], help="show a day's appointments",
        description="List a day's appointments: time, client, practitioner, service, and "
                    "whether they arrived, are late or did not show.")
    shown.add_argument("--date", type=_date, metavar="DATE",
                       help="the day, YYYY-MM-DD (default: today)")
    checked = bookings.add_parser(
        "check", parents=[common, stored], help="check a file without importing it",
        description="Read FILE as the kiosk would; print what it holds and exit 0, or one "
                    "line naming the problem and exit 2.")
    checked.add_argument("file", type=Path, metavar="FILE")


def _aftercare_command(commands: _Commands, common: _Parser, stored: _Parser) -> None:
    aftercare = commands.add_parser(
        "aftercare", help="the aftercare web pages the QR code opens",
        description="Build the aftercare guidance in content/aftercare/ as a small static "
                    "site to host at aftercare_url, or serve it here to check it.")
    pages = aftercare.add_subparsers(dest="aftercare_command", metavar="ACTION", required=True)
    build = pages.add_parser("build", parents=[common], help="write the site into a folder",
                             description="Write one page per massage type, at <type>/index.html, "
                                         "and an index, into DIR.")
    build.add_argument("out", type=Path, metavar="DIR", help="where to write the site")
    serve = pages.add_parser("serve", parents=[common], help="build and serve it locally",
                             description="Build the site into a temporary folder and serve it "
                                         "over HTTP until stopped (ctrl+c), to check it.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=_port, default=8001, help="port to listen on")


COMMANDS: dict[str, Callable[[_Commands, _Parser, _Parser], None]] = {
    "run": _run_command,
    "demo": _demo_command,
    "check-content": _check_content_command,
    "config": _config_command,
    "doctor": _doctor_command,
    "purge": _purge_command,
    "staff": _staff_command,
    "set-pin": _set_pin_command,
    "export": _export_command,
    "erase": _erase_command,
    "serve": _serve_command,
    "db": _db_command,
    "report": _report_command,
    "consent": _consent_command,
    "schedule": _schedule_command,
    "aftercare": _aftercare_command,
}
"""Each command's parser, in the order `kiosk --help` lists them."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-27") from None


MOST_DAYS = 36_500
"""A hundred years: more days than any check-in can be old."""


def _days(text: str) -> int:
    if not text.isdigit() or not text.isascii():
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is not a whole number of days")
    if len(text) > 6 or int(text) > MOST_DAYS:
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is more than {MOST_DAYS} days")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not text.isascii() or len(text) > 5 or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is not a port (0 to 65535)")
    return int(text)


def _sessions(text: str) -> int:
    if not text.isdigit() or not text.isascii() or len(text) > 2 or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is not a number of screens (1 to 64)")
    return int(text)


class _Parser(argparse.ArgumentParser):
    """Bad flags get one line naming the flag, and exit 2 (not usage text)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see {self.prog} --help)\n")
