"""Export at the desk: the check-ins shown now, in a format staff pick, to a
file in the export folder (written in a worker, audited)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from textual.screen import Screen

from kiosk.access.audit import AuditLog
from kiosk.clock import Clock
from kiosk.content.model import Question
from kiosk.desk import actions
from kiosk.desk.fhir import FhirContext
from kiosk.i18n import ENGLISH, Words
from kiosk.store.contract import Record

FORMATS: dict[str, str] = {"csv": "CSV", "json": "JSON", "fhir": "FHIR"}
"""What staff may pick, by file suffix."""


def offer_export(screen: Screen[Any], records: list[Record], questions: Sequence[Question],
                 export_dir: Path, audit: AuditLog, clock: Clock,
                 fhir: FhirContext | None = None, words: Words = ENGLISH) -> None:
    """Ask which format, then write the file off the UI thread."""
    from screens.dialogs.choice import ChoiceScreen

    _ = words._
    if not records:
        screen.notify(_("Nothing to export in this view."))
        return

    def write(kind: actions.ExportFormat) -> None:
        stamp = clock.now().astimezone().strftime("%Y%m%d-%H%M%S")
        path = export_dir / f"checkins-{stamp}.{'fhir.json' if kind == 'fhir' else kind}"
        try:
            export_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            actions.export_to_file(records, questions, kind, path, audit, fhir=fhir)
        except OSError as error:
            screen.app.call_from_thread(
                screen.notify, _("Could not export: {problem}", problem=error.strerror or error),
                markup=False, severity="error")
            return
        screen.app.call_from_thread(
            screen.notify, words.n_("Saved {count} check-in to {path}",
                                    "Saved {count} check-ins to {path}", len(records), path=path),
            markup=False)

    def chosen(choice: str | None) -> None:
        if choice == "csv":
            screen.run_worker(lambda: write("csv"), thread=True, group="change")
        elif choice == "json":
            screen.run_worker(lambda: write("json"), thread=True, group="change")
        elif choice == "fhir" and fhir is not None:
            screen.run_worker(lambda: write("fhir"), thread=True, group="change")

    screen.app.push_screen(ChoiceScreen(
        words.n_("Export {count} check-in", "Export {count} check-ins", len(records)),
        _("The check-ins shown now go to a file in {folder}.", folder=export_dir),
        [*((kind, label, "primary" if kind == "csv" else "default")
           for kind, label in FORMATS.items() if kind != "fhir" or fhir is not None),
         ("cancel", _("Cancel"), "default")]), chosen)
