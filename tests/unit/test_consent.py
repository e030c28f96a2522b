"""Consent that holds up: the documents checked in every language, each
agreement kept with its version, `kiosk consent show`, the desk's line, and
doctor with a text missing or damaged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.checkin.consents import agreements
from kiosk.cli import main
from kiosk.content.model import ContentError, load_content, load_language
from kiosk.desk.rows import agreed_lines, detail_lines
from kiosk.store.contract import ConsentText
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.clock import FIXED_NOW
from tests.support.paths import ROOT
from tests.support.records import CONTENT, checkin


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    """A clinic's own copy of the content, to edit."""
    copy = tmp_path / "content"
    shutil.copytree(ROOT / "content", copy)
    return copy


def keep_and_add(store: CheckInStore, content, language: str = "en", **extra) -> str:
    answers = {"consent": True}
    for question in content.questions:
        for document in question.documents:
            store.keep_consent_text(ConsentText(document.version, document.id, language,
                                                document.title, document.text))
    return store.add(checkin("Ann", consents=agreements(content.questions, answers, language,
                                                        FIXED_NOW), **extra))


def test_every_language_has_the_same_documents_each_checked(clinic: Path) -> None:
    own = load_content(clinic)
    for language in ("es", "zh"):
        translated = load_language(clinic / language, language, own)
        assert [d.id for d in translated.question("consent").documents] == ["treatment",
                                                                             "privacy"]
        assert {d.version for d in translated.question("consent").documents}.isdisjoint(
            d.version for d in own.question("consent").documents), "their own words"
    (clinic / "es" / "consent" / "privacy.md").unlink()
    with pytest.raises(ContentError, match=r"es/consent/privacy.md: in 'es', the consent "
                                           "document is missing"):
        load_language(clinic / "es", "es", own)


@pytest.mark.parametrize(("text", "said"), [
    ("No title here\n\nWords.\n", "must begin with its title"),
    ("# Title\n\nWords with an escape \x1b[2J.\n", "line 3 holds a control character"),
    ("# Only a title\n", "has a title but no text"),
])
def test_a_broken_document_is_one_line_naming_the_file(clinic: Path, text: str,
                                                       said: str) -> None:
    path = clinic / "consent" / "treatment.md"
    path.write_text(text)
    with pytest.raises(ContentError, match=said) as raised:
        load_content(clinic)
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)


def test_markup_in_a_document_is_kept_as_text(clinic: Path) -> None:
    path = clinic / "consent" / "treatment.md"
    path.write_text("# [bold]Consent[/bold]\n\n[@click=app.quit]Tap[/] <b>here</b>.\n")
    document = load_content(clinic).question("consent").documents[0]
    assert document.title == "[bold]Consent[/bold]"
    assert "[@click=app.quit]Tap[/] <b>here</b>." in document.body


def test_a_changed_text_is_a_new_version_and_an_old_record_keeps_its_own(
        clinic: Path, tmp_path: Path, capsys) -> None:
    store = CheckInStore(tmp_path / "data")
    before = keep_and_add(store, load_content(clinic))
    path = clinic / "consent" / "treatment.md"
    path.write_text(path.read_text().replace("at any time", "at any moment"))
    after = keep_and_add(store, load_content(clinic))
    old, new = (store.get(i)["consents"][0]["version"] for i in (before, after))
    assert old != new
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["consent", "show", before, *data]) == 0
    shown = capsys.readouterr().out
    assert "stop the session at any time" in shown and "at any moment" not in shown
    assert f"version {old}" in shown and "English" in shown
    assert main(["consent", "show", after, *data]) == 0
    assert "at any moment" in capsys.readouterr().out


def test_the_desk_reads_version_and_language_and_older_check_ins_say_so() -> None:
    spanish = load_language(ROOT / "content" / "es", "es", CONTENT)
    record = checkin("Ann", consents=agreements(spanish.questions, {"consent": True}, "es",
                                                FIXED_NOW))
    version = spanish.question("consent").documents[0].version
    assert agreed_lines(record)[0] == (
        f"Agreed to Consentimiento para el tratamiento (version {version[:8]}, Español) "
        "at 14:30")
    line = next(d for d in detail_lines(record, CONTENT.questions) if d.label == "Consent")
    assert line.answer.startswith("Agreed to Consentimiento para el tratamiento")
    legacy = checkin("Ann")
    legacy.pop("consents")
    assert agreed_lines(legacy) == ["consent: yes, text not recorded"]
    line = next(d for d in detail_lines(legacy, CONTENT.questions) if d.label == "Consent")
    assert line.answer == "consent: yes, text not recorded"
    missing = next(d for d in detail_lines(record, CONTENT.questions, archive={
        version: "missing"}) if d.label == "Consent")
    assert "⚠ its text is missing from the archive: run `kiosk doctor`" in missing.answer


def test_doctor_keeps_a_lost_text_again_and_names_a_damaged_one(tmp_path: Path,
                                                                capsys) -> None:
    store = CheckInStore(tmp_path / "data")
    checkin_id = keep_and_add(store, CONTENT)
    treatment, privacy = (store.get(checkin_id)["consents"][n]["version"] for n in (0, 1))
    store.consents.path(treatment).unlink()
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["doctor", *data]) == 0
    out = capsys.readouterr().out
    assert f"mended: consent text {treatment[:8]} was missing from the archive" in out
    assert store.consent_text(treatment) is not None
    path = store.consents.path(privacy)
    path.write_text(path.read_text().replace("clinic", "shop"))
    assert main(["doctor", *data]) == 1
    out = capsys.readouterr().out
    assert f"problem: consent text {privacy[:8]} (1 check-in points to it) is damaged" in out
    assert main(["consent", "show", checkin_id, *data]) == 1
    err = capsys.readouterr().err
    assert "does not match its version" in err and "Traceback" not in err
