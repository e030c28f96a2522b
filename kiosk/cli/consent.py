"""`kiosk consent show ID`: the exact words a client agreed to; and
`kiosk report --series ID`: a series' progress report."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

from kiosk.cli.parser import EXIT_BAD_INPUT
from kiosk.settings import Settings


def consent_command(settings: Settings, args: dict[str, Any]) -> int:
    from kiosk.checkin.consents import LEGACY
    from kiosk.desk.rows import printable
    from kiosk.files import StoreError
    from kiosk.i18n import language_name
    from kiosk.store.choose import open_desk_store
    from kiosk.store.contract import ArchiveDamaged

    try:
        store = open_desk_store(settings)
        record = store.get(args["checkin_id"])
        if record is None:
            print(f"kiosk: no check-in {printable(args['checkin_id'], 40)}", file=sys.stderr)
            return EXIT_BAD_INPUT
        consents = record.get("consents") or []
        if not consents:
            print(LEGACY if (record.get("answers") or {}).get("consent") is True
                  else "consent: not given")
            return 0
        status = 0
        for agreed in consents:
            at = datetime.fromisoformat(agreed["at"]).astimezone()
            signed = f", signed \u201c{printable(agreed['typed_name'], 80)}\u201d" if agreed.get(
                "typed_name") else ""
            print(f"== {printable(agreed.get('title') or agreed['document'], 80)}: version "
                  f"{agreed['version']}, {language_name(str(agreed.get('language', '')))}, "
                  f"agreed {at:%Y-%m-%d %H:%M}{signed}")
            try:
                kept = store.consent_text(agreed["version"])
            except ArchiveDamaged as error:
                print(f"kiosk: {error}: run `kiosk doctor`", file=sys.stderr)
                status = 1
                continue
            if kept is None:
                print(f"kiosk: the text of version {agreed['version'][:8]} is missing from the "
                      "archive: run `kiosk doctor`", file=sys.stderr)
                status = 1
                continue
            # The words exactly as agreed to, shown as text: never markup or escapes.
            print(printable(kept.text).replace("\u240a", "\n"))
            print()
        return status
    except StoreError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 1


def report_command(settings: Settings, args: dict[str, Any]) -> int:
    from datetime import datetime

    from kiosk.content.model import load_content
    from kiosk.desk.actions import ExportExists, write_report
    from kiosk.desk.report import ReportSetup
    from kiosk.files import StoreError
    from kiosk.store.choose import desk_audit, open_desk_store
    from kiosk.store.contract import UnknownCheckIn

    content = load_content(settings.content_folder)
    store = open_desk_store(settings, questions=content.all_questions())
    setup = ReportSetup(content.all_questions(), content.rules.meaningful,
                        settings.clinic_name, settings.language, settings.export_dir)
    try:
        sessions, path = write_report(store, desk_audit(settings), args["series"], setup,
                                      made=datetime.now().astimezone(), path=args.get("output"),
                                      force=args["force"])
    except UnknownCheckIn as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ExportExists as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (StoreError, OSError) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 1
    print(f"Wrote the report of {sessions} session(s) to {path}.")
    return 0
