"""The data commands: `doctor`, `purge`, `set-pin`, `export`, `erase`, and `db`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.cli.parser import EXIT_BAD_INPUT
from kiosk.plural import plural
from kiosk.settings import (
    ENV_DATA_DIR,
    ENV_DATABASE_URL,
    Settings,
    without_password,
)
from kiosk.store.postgres import DatabaseError

if TYPE_CHECKING:
    from kiosk.store.contract import Store


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

    store = open_store(settings.data_dir)
    health = doctor(store, AuditLog(settings.data_dir))
    for line in health.lines()[:-1]:
        print(line)
    trouble = (_schedule_health(settings, store) + _consent_health(settings, store)
               + _speech_health(settings))
    for line in trouble:
        print(f"problem: {line}")
    print(health.lines()[-1] if not trouble else "problems found")
    if trouble and health.ok:
        return 1
    if settings.database_url is not None:
        trouble = _delivery_health(settings)
        for line in trouble:
            print(f"problem: {line}")
        if trouble and health.ok:
            return 1
    return 0 if health.ok else 1


def _speech_health(settings: Settings) -> list[str]:
    """With read_aloud: whether espeak-ng speaks each offered language."""
    if not settings.read_aloud:
        return []
    from kiosk.speech import VOICES, speech_health

    trouble = speech_health(settings.offered_languages)
    if not trouble:
        print("read aloud: espeak-ng speaks " + ", ".join(
            f"{language} ({VOICES.get(language, language)})"
            for language in settings.offered_languages))
    return trouble


def _consent_health(settings: Settings, store: Any) -> list[str]:
    """Print what was mended in the consent archive; the problems left."""
    from kiosk.content.tomltable import ContentError
    from kiosk.desk.upkeep import consent_archive
    from kiosk.store.contract import ConsentText

    texts = {}
    try:
        from kiosk.content.model import load_content, load_language

        own = load_content(settings.content_folder)
        contents = {settings.language: own}
        for language in settings.offered_languages:
            if language != settings.language:
                contents[language] = load_language(settings.content_folder_for(language),
                                                   language, own)
        for language, content in contents.items():
            for question in content.all_questions():
                for document in question.documents:
                    texts[document.version] = ConsentText(document.version, document.id,
                                                          language, document.title,
                                                          document.text)
    except ContentError:
        pass  # The content can't mend the archive; the problems are still said.
    mended, problems = consent_archive(store, texts)
    for line in mended:
        print(f"mended: {line}")
    return problems


def _schedule_health(settings: Settings, store: Any) -> list[str]:
    """Print each schedule source's last reads, and the practitioners'
    outbox; the problems found (a source that failed, notices stuck)."""
    from kiosk.desk.schedule import stale_lines
    from kiosk.notices import Outbox

    problems = []
    if settings.schedule and settings.database_url is None:
        states = {state.source: state for state in store.schedule_states()}
        for source in settings.schedule:
            state = states.get(source.name)
            good = (f"last read {state.last_good.astimezone():%Y-%m-%d %H:%M}"
                    if state is not None and state.last_good else "never read yet")
            print(f"schedule: {source.name}: {good}")
        problems.extend(stale_lines(list(states.values())))
    elif settings.schedule:
        print("schedule: read by the front desk (kiosk staff) into the shared database")
    for aside in sorted((settings.data_dir / "appointments").glob("*.corrupt-*")):
        problems.append(f"{aside} did not parse and was moved aside; `kiosk schedule import` "
                        "writes that day again")
    if settings.notify_webhook is not None:
        outbox = Outbox(settings.data_dir, settings.notify_webhook, store.clock)
        waiting, state = len(outbox.waiting()), outbox.state()
        print(f"notices: {waiting} waiting; last sent {state.get('last_sent') or 'none yet'}"
              + (f"; {state['dropped']} dropped unsent after an hour" if state.get("dropped")
                 else ""))
        if waiting and state.get("last_error"):
            problems.append(f"{waiting} notice(s) to practitioners not sent: "
                            f"{state['last_error']}")
    return problems


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
    from kiosk.desk.fhir import fhir_context
    from kiosk.desk.rows import write_csv, write_json
    from kiosk.store.choose import desk_audit, open_desk_store
    from kiosk.store.contract import EVERY_SITE, HOME_SITE, SiteStore, SiteView

    content = load_content(settings.content_folder)
    questions = content.all_questions()
    store = open_desk_store(settings, questions=questions)
    fhir = fhir_context(content, settings.aftercare_url, settings.clinic_name,
                        archive=store.consent_text)
    site: SiteView = EVERY_SITE if args.get("all_sites") else args.get("site") or HOME_SITE
    if not isinstance(store, SiteStore) and (args.get("site") is not None
                                             or args.get("all_sites")):
        print("kiosk export: --site and --all-sites need a shared database (database_url)",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    if settings.database_url is None and not settings.data_dir.is_dir():
        # A mistyped folder: said, not made (with an audit log of an empty export in it).
        print(f"kiosk export: nothing is saved in {settings.data_dir}: there is no such folder "
              f"(check --data-dir or ${ENV_DATA_DIR})", file=sys.stderr)
        return EXIT_BAD_INPUT
    records = store.search(since=args.get("since"), until=args.get("until"), site=site)
    if args.get("series") is not None:
        wanted = {record["id"] for record in store.series(args["series"])}
        records = [record for record in records if record["id"] in wanted]
    audit = desk_audit(settings)
    output: Path | None = args.get("output")
    if output is not None:
        count = export_to_file(records, questions, args["format"], output, audit,
                               force=args["force"], fhir=fhir)
        print(f"Exported {plural(count)} to {output}.")
        return _said_skipped(store)
    # UTF-8 whatever the locale, and no newline translation inside cells.
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
    try:
        if args["format"] == "fhir":
            out.write(fhir.bundle_text(records))
            count = len(records)
        else:
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
