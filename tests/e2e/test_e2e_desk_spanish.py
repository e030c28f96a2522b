"""End to end, in tmux at 80x24: a clinic whose language is Spanish opens
`kiosk staff` and, by taps, links today's visit to last week's, moves the
client on to the therapist and exports the day; no screen on the way shows
an English word."""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.content.model import load_content
from kiosk.i18n import words
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.e2e import env_for, set_pin, words_of
from tests.support.languages import english_on
from tests.support.paths import ROOT
from tests.support.series import visit
from tests.support.terminal import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.needs("tmux")]

CLINIC = "Riverside Massage Clinic"


def test_a_spanish_desk_links_moves_on_and_exports_by_taps(tmp_path: Path) -> None:
    data_dir, exports = tmp_path / "data", tmp_path / "exports"
    config = tmp_path / "kiosk.toml"
    config.write_text(f'language = "es"\nexport_dir = "{exports}"\n')
    content = load_content(ROOT / "content" / "es")
    store = CheckInStore(data_dir)
    now = datetime.now(UTC)
    earlier = visit("Ana", "B", 0, 8, follow_up=False, content=content)
    earlier["created_at"] = (now - timedelta(days=7)).isoformat(timespec="seconds")
    store.add(earlier)
    latest = visit("Ana", "B", 0, 4, content=content)
    latest["created_at"] = now.isoformat(timespec="seconds")
    today = store.add(latest)
    set_pin(data_dir)
    es = words("es")

    def spanish(screen: str, where: str) -> str:
        found = english_on(screen, [CLINIC, str(exports), str(tmp_path)])
        assert found is None, f"English {found!r} on {where}:\n{screen}"
        return screen

    staff = Terminal(tmp_path / "staff.sock")
    try:
        staff.start([sys.executable, "-m", "kiosk", "staff", "--config", str(config),
                     "--data-dir", str(data_dir)], env_for(tmp_path))
        spanish(staff.wait_for("PIN del personal"), "the PIN pad")
        staff.type("2468")
        spanish(staff.tap_until("Aceptar", lambda s: "Recepción ·" in s, "the queue"), "the queue")

        # Link: today's visit joins last week's, picked by its date.
        staff.wait_for("Seguimiento")
        staff.tap("Seguimiento")
        spanish(staff.tap_until("Vincular visitas", lambda s: "Empezar una serie nueva" in s,
                                "the link panel"), "the link panel")
        week_ago = es.day((now - timedelta(days=7)).astimezone().date())
        # The notice (over the bar) comes as the link is made, the series line
        # after a read of the series: on a busy machine the notice's few
        # seconds can be over before the line is drawn, so each is looked for
        # on the screens read while waiting.
        notices: list[str] = []

        def linked(screen: str) -> bool:
            if "Vinculado. Pulse u o Deshacer" in screen:
                notices.append(screen)
            return bool(notices) and "Dolor 8 → 4 en 2 sesiones" in screen

        screen = staff.tap_until(week_ago, linked, "the notice and the series")
        spanish(notices[0], "the notice")
        spanish(screen, "the series")
        assert CheckInStore(data_dir).get(today)["series"]

        # The client goes in: the status, by its button.
        screen = staff.tap_until("Terapeuta", lambda s: "Con el terapeuta" in s,
                                 "with the therapist")
        spanish(screen, "a status changed")
        assert CheckInStore(data_dir).get(today)["status"] == "with_therapist"

        # Export: today's queue, to CSV, and the word that it is saved.
        spanish(staff.tap_until("Exportar", lambda s: "Exportar 1 registro" in s,
                                "the export dialog"), "the export dialog")
        screen = staff.tap_until("CSV", lambda s: "1 registro guardado" in words_of(s),
                                 "the export saved")
        spanish(screen, "the export saved")
    finally:
        staff.stop()
    [exported] = exports.glob("checkins-*.csv")
    with exported.open(newline="", encoding="utf-8-sig") as source:
        rows = list(csv.DictReader(source))
    assert [(row["id"], row["session"], row["status"]) for row in rows] == [
        (today, "2", "with_therapist")]
