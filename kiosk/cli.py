"""The `kiosk` command: the kiosk, the staff app, and the tools around them."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from kiosk.content.tomltable import ContentError
from kiosk.plural import plural
from kiosk.settings import (
    ENV_DATABASE_URL,
    Settings,
    SettingsError,
    load_settings,
    without_password,
)
from kiosk.store.postgres.schema import DatabaseError

if TYPE_CHECKING:
    from kiosk.content.model import Content
    from kiosk.store.contract import Store

EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
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
    commands.add_parser(
        "doctor", parents=[common, stored], help="check the data folder",
        description="Report the data folder's health: permissions, free space, check-ins "
                    "waiting after a failed save, and files moved aside because they did "
                    "not parse. Exit 0 when all is well, 1 when something needs attention.")
    purge = commands.add_parser(
        "purge", parents=[common, stored], help="erase old check-ins",
        description="Erase every check-in made more than DAYS days ago and say how many.")
    purge.add_argument("--older-than", type=_days, required=True, metavar="DAYS",
                       help="a whole number of days (0 erases everything before now)")
    commands.add_parser(
        "staff", parents=[common, stored], help="the front desk's live view of check-ins",
        description="Run the staff app on the same data folder as the kiosk: today's "
                    "queue live, flags, status, search, export, erase. Asks for the "
                    "staff PIN (set it with `kiosk set-pin`).")
    commands.add_parser(
        "set-pin", parents=[common, stored], help="set the staff PIN",
        description="Set the staff PIN (4 to 12 digits). On a terminal it asks twice; "
                    "otherwise it reads one line from standard input.")
    export = commands.add_parser(
        "export", parents=[common, stored], help="export check-ins as CSV or JSON",
        description="Write check-ins to standard output or a file. CSV opens cleanly in a "
                    "spreadsheet (cells that look like formulas are defused); JSON is "
                    "exactly what is stored.")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--since", type=_date, metavar="DATE",
                        help="first day to include, YYYY-MM-DD (local time)")
    export.add_argument("--until", type=_date, metavar="DATE",
                        help="last day to include, YYYY-MM-DD (local time)")
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
    db = commands.add_parser(
        "db", parents=[common], help="the PostgreSQL database several machines share",
        description="The database named by database_url (or $KIOSK_DATABASE_URL).")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    actions.add_parser("migrate", parents=[common], help="create or upgrade the schema",
                       description="Apply the schema's migrations not yet applied (running it "
                                   "again does nothing).")
    actions.add_parser("status", parents=[common], help="show the schema's version",
                       description="Show the schema's version and the one this program needs.")
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
    return parser


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


def _check_content(settings: Settings, folder: Path | None) -> int:
    """The clinic's own language's folder (or `folder`), then every other
    language offered: each must ask the same questions with the same ids,
    and the program's words must be translated into it."""
    from kiosk.content.model import load_language
    from kiosk.i18n import catalog_path, untranslated

    if folder is not None and settings.languages:
        # One folder with a language in each of its subfolders: the content_dir.
        settings = replace(settings, content_dir=Path(folder))
        folder = None
    default = _check_folder(folder or settings.content_folder)
    for language in settings.offered_languages:
        if language == settings.language:
            continue
        folder = settings.content_folder_for(language)
        translated = load_language(folder, language, default)
        try:
            _check_folder(folder, translated)
        except ContentError as error:
            raise ContentError(error.path, f"in '{language}', {error.problem}") from None
        missing = untranslated(language)
        if missing:
            raise ContentError(catalog_path(language, ".po"), (
                f"in '{language}', no translation of the program's message {missing[0]!r}"
                + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")))
    if len(settings.offered_languages) > 1:
        print(f"Languages: {', '.join(settings.offered_languages)}: the same questions, and "
              "every program message translated.")
    from kiosk.web.qr import FITS_80X24_BYTES, longest_url

    others = [language for language in settings.offered_languages
              if language != settings.language]
    url = longest_url(settings.aftercare_url, default.rules.types, others,
                      at_home=default.followup is not None)
    if len(url.encode("utf-8")) > FITS_80X24_BYTES:
        print(f"Note: the longest aftercare address, {url}, is {len(url.encode('utf-8'))} "
              f"bytes: its QR code won't fit an 80x24 screen, which shows the address as "
              f"text instead (a code fits up to {FITS_80X24_BYTES}; shorten aftercare_url).")
    return 0


def _check_folder(folder: Path, content: Content | None = None) -> Content:
    from kiosk.content.model import load_content
    from kiosk.web.aftercare import aftercare_pages

    content = content or load_content(folder)
    pages = aftercare_pages(folder)
    print(
        f"{folder}: OK: {len(content.walkthrough.pages)} walkthrough pages, "
        f"{len(content.questions)} questions, {len(content.rules.recommend)} "
        f"recommendation rules, {len(content.rules.flags)} flags, "
        f"{len(pages)} aftercare pages."
    )
    if content.followup is None:
        print("No followup.toml: Welcome offers the first visit only.")
    else:
        print(f"Follow-up visit: {len(content.followup.questions)} questions, "
              f"{len(content.followup.rules.recommend)} recommendation rules, "
              f"{len(content.followup.rules.flags)} flags.")
    return content


def _aftercare(settings: Settings, args: dict[str, Any]) -> int:
    from kiosk.web.aftercare import build_sites

    if args["aftercare_command"] == "build":
        written = build_sites(settings, args["out"])
        print(f"Wrote {len(written)} pages to {args['out']}: host that folder at "
              f"{settings.aftercare_url}")
        return 0
    import contextlib
    import functools
    import http.server
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kiosk-aftercare-") as folder:
        build_sites(settings, Path(folder))
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=folder)
        with http.server.ThreadingHTTPServer((args["host"], args["port"]), handler) as server:
            host, port = str(server.server_address[0]), server.server_address[1]
            print(f"Serving the aftercare pages at http://{host}:{port}/ (ctrl+c stops)",
                  flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                server.serve_forever()
    return 0


def _show_config(settings: Settings) -> int:
    for field in fields(Settings):
        if field.name != "sources":
            value = getattr(settings, field.name)
            if value is None:
                value = {"touch_keyboard": "auto (on for kiosk run, off for the demo)",
                         "retention_days": "off (keep every check-in)",
                         "database_url": "none (this data folder alone)"}[field.name]
            elif field.name == "database_url":
                value = without_password(value)  # Never a password on screen.
            elif field.name == "languages":
                # As it is written in kiosk.toml.
                value = (f"[{', '.join(json.dumps(code) for code in value)}]" if value
                         else f"[{json.dumps(settings.language)}] (language alone: no picker)")
            print(f"{field.name} = {value!s}    ({settings.sources[field.name]})")
    return 0


def _database(settings: Settings, action: str) -> int:
    from kiosk.store.postgres import schema as database
    url = settings.database_url
    if url is None:
        raise DatabaseError("no database is set: set database_url in kiosk.toml, "
                            f"or ${ENV_DATABASE_URL}")
    place = without_password(url)
    if action == "migrate":
        done = database.migrate(url)
        if done.applied:
            print(f"{place}: schema migrated from version {done.before} to {done.after}")
        else:
            print(f"{place}: schema already at version {done.after}; nothing to do")
        return 0
    version = database.status(url)
    needed = database.SCHEMA_VERSION
    state = ("up to date" if version == needed
             else "run `kiosk db migrate`" if version < needed else "upgrade clinic-kiosk")
    print(f"{place}: schema version {version}; this program needs {needed} ({state})")
    return 0


def _doctor(settings: Settings) -> int:
    from kiosk.access.audit import AuditLog
    from kiosk.desk.upkeep import doctor
    from kiosk.store.choose import open_store

    health = doctor(open_store(settings.data_dir), AuditLog(settings.data_dir))
    for line in health.lines():
        print(line)
    if settings.database_url is not None:
        trouble = _delivery_health(settings)
        for line in trouble:
            print(f"problem: {line}")
        if trouble and health.ok:
            return 1
    return 0 if health.ok else 1


def _delivery_health(settings: Settings) -> list[str]:
    """With a database: print where this folder's deliveries stand; the
    problems found (a database that can't be used, check-ins waiting)."""
    from kiosk.delivery import Delivery
    from kiosk.store.dayfiles.store import CheckInStore
    from kiosk.store.postgres import schema as database

    assert settings.database_url is not None
    store = CheckInStore(settings.data_dir)
    report = Delivery(store, settings.database_url, site=settings.site,
                      keep_days=settings.local_keep_days, clock=store.clock).report()
    for line in report.lines():
        print(line)
    problems = []
    try:
        database.require_current(settings.database_url)
        print(f"database: {without_password(settings.database_url)}: reachable, schema current")
    except DatabaseError as error:
        problems.append(str(error))
    if report.waiting and report.last_error:
        problems.append(f"{report.waiting} check-in(s) not delivered yet: {report.last_error}")
    return problems


def _purge(settings: Settings, days: int) -> int:
    from kiosk.desk.upkeep import purge
    from kiosk.store.choose import desk_audit, open_desk_store

    said = purge(open_desk_store(settings), desk_audit(settings), days)
    print(said.capitalize() + ".")
    return 0


def _store_command(command: str, settings: Settings, args: dict[str, Any]) -> int:
    from kiosk.files import StoreError

    try:
        if command == "doctor":
            return _doctor(settings)
        if command == "set-pin":
            return _set_pin(settings)
        if command == "export":
            return _export(settings, args)
        if command == "erase":
            if args.get("series") is not None:
                if args.get("checkin_id") is not None:
                    return _bad_flag("kiosk erase: give a check-in ID or --series ID, not both")
                return _erase_series(settings, args["series"], args["yes"])
            if args.get("checkin_id") is None:
                return _bad_flag("kiosk erase: give the ID of the check-in to erase "
                                 "(or --series ID)")
            return _erase(settings, args["checkin_id"], args["yes"])
        return _purge(settings, args["older_than"])
    except FileExistsError as error:  # An export that would replace a file.
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (StoreError, OSError) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 1


def _set_pin(settings: Settings) -> int:
    import getpass

    from kiosk.access.pin import pin_problem

    if sys.stdin.isatty():
        pin = getpass.getpass("New staff PIN (4 to 12 digits): ")
        if pin_problem(pin) is None and getpass.getpass("The same PIN again: ") != pin:
            print("kiosk: the two PINs differ; nothing was changed", file=sys.stderr)
            return EXIT_BAD_INPUT
    else:
        pin = sys.stdin.readline().rstrip("\r\n")
    problem = pin_problem(pin)
    if problem:
        print(f"kiosk: {problem} Nothing was changed.", file=sys.stderr)
        return EXIT_BAD_INPUT
    from kiosk.store.choose import desk_pin

    desk_pin(settings).set(pin)
    where = (without_password(settings.database_url) if settings.database_url
             else settings.data_dir)
    print(f"Staff PIN set for {where}.")
    return 0


def _export(settings: Settings, args: dict[str, Any]) -> int:
    import io

    from kiosk.content.model import load_content
    from kiosk.desk.actions import export_to_file
    from kiosk.desk.rows import write_csv, write_json
    from kiosk.store.choose import desk_audit, open_desk_store
    from kiosk.store.contract import EVERY_SITE, HOME_SITE, SiteStore, SiteView

    questions = load_content(settings.content_folder).all_questions()
    store = open_desk_store(settings, questions=questions)
    site: SiteView = EVERY_SITE if args.get("all_sites") else args.get("site") or HOME_SITE
    if not isinstance(store, SiteStore) and (args.get("site") is not None
                                             or args.get("all_sites")):
        print("kiosk export: --site and --all-sites need a shared database (database_url)",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    records = store.search(since=args.get("since"), until=args.get("until"), site=site)
    audit = desk_audit(settings)
    output: Path | None = args.get("output")
    if output is not None:
        count = export_to_file(records, questions, args["format"], output, audit,
                               force=args["force"])
        print(f"Exported {plural(count)} to {output}.")
        return _said_skipped(store)
    # UTF-8 whatever the locale, and no newline translation inside cells.
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
    try:
        count = write_csv(records, questions, out) if args["format"] == "csv" else (
            write_json(records, out))
        out.flush()
    finally:
        out.detach()  # Leave sys.stdout open.
    audit.record("export", count=count)
    return _said_skipped(store)


def _said_skipped(store: Store) -> int:
    """Say on stderr how many damaged check-ins an export passed over."""
    if skipped := store.skipped():
        print(f"kiosk: skipped {plural(skipped, 'damaged check-in')} (not of the stored "
              "shape): `kiosk doctor` names them", file=sys.stderr)
    return 0


def _erase(settings: Settings, checkin_id: str, yes: bool) -> int:
    from kiosk.checkin.record import client_name
    from kiosk.desk.actions import erase
    from kiosk.desk.rows import arrival, printable
    from kiosk.store.choose import desk_audit, open_desk_store

    store = open_desk_store(settings)
    record = store.get(checkin_id)
    if record is not None:
        who = printable(client_name(record), 40) or "(no name)"
        what = f"the check-in of {who}, arrived {arrival(record, date.today())}"
    else:  # Missing, or damaged (erasing is never blocked by a bad field).
        what = f"check-in {printable(checkin_id, 60)}"
    stop = _stop_unless_confirmed(what, yes)
    if stop is not None:
        return stop
    if not erase(store, desk_audit(settings), checkin_id):
        print(f"kiosk: no check-in has the id {printable(checkin_id, 60)}", file=sys.stderr)
        return 1
    print(f"Erased {what}.")
    return 0


def _bad_flag(message: str) -> int:
    print(f"{message} (see kiosk erase --help)", file=sys.stderr)
    return EXIT_BAD_INPUT


def _stop_unless_confirmed(what: str, yes: bool) -> int | None:
    """None to go on erasing `what` (a yes at the terminal, or --yes); else
    the exit code: 2 with no one to ask, 0 after a no."""
    if yes:
        return None
    if not sys.stdin.isatty():
        print("kiosk: erasing needs a yes: run it on a terminal, or add --yes", file=sys.stderr)
        return EXIT_BAD_INPUT
    if input(f"Erase {what}? It can't be undone. [y/N] ").strip().lower() in ("y", "yes"):
        return None
    print("Nothing was erased.")
    return 0


def _erase_series(settings: Settings, series_id: str, yes: bool) -> int:
    from kiosk.desk.actions import erase_series
    from kiosk.desk.rows import printable
    from kiosk.plural import plural
    from kiosk.store.choose import desk_audit, open_desk_store

    store = open_desk_store(settings)
    sessions = store.series(series_id)
    if not sessions:
        print(f"kiosk: no series has the id {printable(series_id, 60)}", file=sys.stderr)
        return 1
    what = f"the {plural(len(sessions))} of series {printable(series_id, 60)}"
    stop = _stop_unless_confirmed(what, yes)
    if stop is not None:
        return stop
    erased = erase_series(store, desk_audit(settings), series_id)
    print(f"Erased {plural(erased)} of series {printable(series_id, 60)}.")
    return 0


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
    from screens.app import make_app  # Textual loads only for commands that draw.

    return _run_app(make_app(settings))


def _run_app(app: Any) -> int:
    """Run the kiosk or the staff app with crashes contained; its exit status.

    A stop signal ends the process here, with the terminal given back; a
    content error found once the first screen was up (the content loads after
    it) is raised for `main` to say in one line; an app that gave up after
    errors is one line and status 1.
    """
    import signal

    from kiosk.tty import exit_now, remember_terminal

    app.contain_crashes = True
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = vars(_parser().parse_args(argv))
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
            return _check_content(settings, args.get("folder"))
        if command == "config":
            return _show_config(settings)
        if command in ("doctor", "purge", "set-pin", "export", "erase"):
            return _store_command(command, settings, args)
        if command == "staff":
            return _staff(settings)
        if command == "aftercare":
            return _aftercare(settings, args)
        if command == "serve":
            return _serve(settings, args)
        if command == "db":
            return _database(settings, args["db_command"])
        return _run(settings)
    except (ContentError, SettingsError, DatabaseError) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
