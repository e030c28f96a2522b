"""End to end, in tmux at 80x24: `kiosk run` offering English, Español and
中文. A tap on "Español" leads to a visit finished by taps alone with no
English on any screen and a code that opens the Spanish aftercare page;
after Done, Welcome is in English. The same visit in Chinese shows no broken
line."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len

from kiosk.store.dayfiles.store import CheckInStore
from tests.support.e2e import env_for, open_desk, set_pin, tap_keys, words_of
from tests.support.languages import english_on
from tests.support.qrimage import decode, text_to_image
from tests.support.terminal import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.needs("tmux")]

CLINIC = "Riverside Massage Clinic"

# Each page's prompt (its start) and the answers to tap, by the first words
# of their label (a label that wraps shows its first words on its first line).
SPANISH = {
    "language": "Español",
    "first_visit": "Primera visita",
    "page": "Diferencia {n} de 6",
    "next": "Siguiente ▶",
    "start": "Empezar registro ▶",
    "question": "Pregunta {n} de 11",
    "first_name": "p. ej., María",
    "initial": "p. ej., K",
    "review_button": "Revisar ▶",
    "review": "Revise sus respuestas",
    "check_in": "Registrarme ✓",
    "result": "Escanee para ver su guía de cuidados",
    "done": "Terminar",
    "taps": [
        ("¿Qué le trae", ["Dolor crónico"]),
        ("lesión o un accidente", ["Sí, un accidente"]),
        ("derivado un médico", ["Sí"]),
        ("En qué zonas", ["Cuello", "Zona lumbar"]),
        ("debamos evitar", ["Ninguna zona"]),
        ("Cuánto dolor", ["7"]),
        ("Qué presión", ["Media"]),
        ("masaje profesional", ["Sí"]),
        ("alguna de estas cosas", ["Embarazo"]),
        ("Acepta recibir", ["Sí, acepto el"]),
    ],
    "shown": ["Masaje médico", "Antes de su sesión"],
}

CHINESE = {
    "language": "中文",
    "first_visit": "首次就诊",
    "page": "区别 {n}/6",
    "next": "下一步 ▶",
    "start": "开始登记 ▶",
    "question": "第 {n} 题，共 11 题",
    "first_name": "例如 Li",
    "initial": "例如 W",
    "review_button": "核对 ▶",
    "review": "请核对您的回答",
    "check_in": "确认登记 ✓",
    "result": "扫码查看护理指南",
    "done": "完成",
    "taps": [
        ("您今天为什么来", ["慢性疼痛"]),
        ("受过伤", ["有，车祸"]),
        ("医生转介", ["是"]),
        ("重点按摩哪些部位", ["颈部", "下背部"]),
        ("需要我们避开", ["没有需要避开"]),
        ("您现在有多痛", ["7"]),
        ("什么力度", ["中等"]),
        ("专业按摩", ["做过"]),
        ("以下情况有适用", ["怀孕"]),
        ("接受按摩治疗", ["是，我同意"]),
    ],
    "shown": ["医疗按摩", "疗程开始前"],
}


def no_english(screen: str, where: str) -> None:
    # The clinic's own name is a setting, in any language.
    found = english_on(screen, [CLINIC])
    assert found is None, f"English {found!r} on {where}:\n{screen}"


def no_broken_line(screen: str, where: str) -> None:
    """Nothing past the 80th cell, no half of a wide character left behind
    (tmux shows a split one as a replacement or a lone space)."""
    for line in screen.splitlines():
        assert cell_len(line) <= 80, f"{where}: a line of {cell_len(line)} cells:\n{screen}"
        assert "\ufffd" not in line, f"{where}: a broken character:\n{screen}"
        assert not any(unicodedata.category(char) == "Cc" for char in line), where


def visit(terminal: Terminal, words: dict, check) -> str:
    """From Welcome, in the language picked by a tap, to the result."""
    terminal.wait_for("First visit")
    screen = terminal.tap_until(words["language"], lambda s: words["first_visit"] in s,
                                "Welcome in the language")
    check(screen, "Welcome")
    screen = terminal.tap_until(words["first_visit"],
                                lambda s: words["page"].format(n=1) in s, "the walkthrough")
    check(screen, "walkthrough page 1")
    for page in range(2, 7):
        screen = terminal.tap_until(words["next"], lambda s, p=page: words["page"].format(n=p) in s,
                                    f"page {page}")
        check(screen, f"walkthrough page {page}")
    screen = terminal.tap_until(words["start"], lambda s: words["question"].format(n=1) in s,
                                "the questions")
    check(screen, "the name")
    terminal.tap(words["first_name"])
    tap_keys(terminal, "ana")
    terminal.tap(words["initial"])
    tap_keys(terminal, "b")
    total = len(words["taps"]) + 1
    label_next = words["next"]
    for number, (prompt, labels) in enumerate(words["taps"], start=2):
        screen = terminal.tap_until(
            label_next, lambda s, n=number, p=prompt: words["question"].format(n=n) in s and p in s,
            prompt)
        for label in labels:
            screen = terminal.pick(label)
        check(screen, prompt)
        label_next = words["review_button"] if number == total else words["next"]
    screen = terminal.tap_until(label_next, lambda s: words["review"] in s, "the review")
    assert "Ana B." in screen
    check(screen, "the review")
    screen = terminal.tap_until(words["check_in"], lambda s: words["result"] in s, "the result")
    check(screen, "the result")
    for shown in words["shown"]:
        assert shown in screen
    return screen


@pytest.mark.parametrize("language", ["es", "zh"])
def test_a_visit_in_another_language_by_taps_then_english_again(tmp_path: Path,
                                                                 language: str) -> None:
    words = SPANISH if language == "es" else CHINESE
    data_dir = tmp_path / "data"
    config = tmp_path / "kiosk.toml"
    config.write_text('languages = ["en", "es", "zh"]\n')

    def check(screen: str, where: str) -> None:
        no_broken_line(screen, where)
        if language == "es":
            no_english(screen, where)

    terminal = Terminal(tmp_path / "tmux.sock")
    try:
        terminal.start([sys.executable, "-m", "kiosk", "run", "--config", str(config),
                        "--data-dir", str(data_dir)], env_for(tmp_path))
        visit(terminal, words, check)
        # Read the code off the terminal itself, as a phone would off the glass.
        url = f"https://www.example.com/aftercare/{language}/medical"
        assert decode(text_to_image(terminal.lines())) == url
        [record] = CheckInStore(data_dir).all()
        assert record["language"] == language
        assert record["answers"]["name"] == {"first": "Ana", "last_initial": "B"}
        assert record["answers"]["injury"] == "car_accident"
        # Done: the next client is welcomed in the clinic's own language.
        screen = terminal.tap_until(words["done"], lambda s: "First visit" in s, "Welcome")
        assert "Here for a massage?" in screen and words["first_visit"] not in screen
    finally:
        terminal.stop()


def test_a_spanish_client_agrees_to_the_spanish_consent_and_the_desk_says_which(
        tmp_path: Path) -> None:
    """The issue's must-show for consent and FHIR: the visit by taps in
    Spanish; the desk's detail names each document, its version and Español;
    `kiosk consent show` prints the exact Spanish words; the FHIR export of
    that check-in validates."""
    from fhir.resources.R4B.bundle import Bundle

    from kiosk.content.consent import load_document
    from tests.support.paths import ROOT

    data_dir = tmp_path / "data"
    config = tmp_path / "kiosk.toml"
    config.write_text('languages = ["en", "es", "zh"]\n')
    env = env_for(tmp_path)
    kiosk = Terminal(tmp_path / "kiosk.sock")
    try:
        kiosk.start([sys.executable, "-m", "kiosk", "run", "--config", str(config),
                     "--data-dir", str(data_dir)], env)
        visit(kiosk, SPANISH, lambda screen, where: no_english(screen, where))
    finally:
        kiosk.stop()
    [record] = CheckInStore(data_dir).all()
    documents = {name: load_document(ROOT / "content" / "es", name)
                 for name in ("treatment", "privacy")}
    assert {(agreed["document"], agreed["version"], agreed["language"])
            for agreed in record["consents"]} == {
        (name, document.version, "es") for name, document in documents.items()}

    # At the desk: the detail says what was agreed, in which version and language.
    set_pin(data_dir)
    staff = Terminal(tmp_path / "staff.sock")
    try:
        open_desk(staff, data_dir, env)
        staff.wait_for("Ana B.")
        staff.tap("Ana B.")
        wanted = [f"Agreed to {document.title} (version {document.version[:8]}, Español)"
                  for document in documents.values()]

        for _ in range(30):
            screen = staff.text()
            if all(line in words_of(screen) for line in wanted):
                break
            staff.send_bytes(b"\x1b[<65;40;16M")  # The wheel, once, over the detail.
            staff.wait_until(lambda s, before=screen: s != before, "the detail to scroll")
        assert all(line in words_of(staff.text()) for line in wanted), staff.text()
    finally:
        staff.stop()

    # The exact words, from the archive.
    shown = subprocess.run(
        [sys.executable, "-m", "kiosk", "consent", "show", record["id"], "--data-dir",
         str(data_dir)], capture_output=True, text=True, check=True).stdout
    for document in documents.values():
        assert document.text in shown
        assert f"version {document.version}, Español" in shown

    # FHIR: one Bundle that fhir.resources accepts, the consents in it.
    exported = subprocess.run(
        [sys.executable, "-m", "kiosk", "export", "--format", "fhir", "--data-dir",
         str(data_dir)], capture_output=True, text=True, check=True).stdout
    bundle = Bundle.model_validate_json(exported)
    kinds = sorted(entry.resource.__resource_type__ for entry in bundle.entry)
    assert kinds.count("Consent") == 2 and "QuestionnaireResponse" in kinds
