"""The FHIR R4 export, validated with fhir.resources (its R4B models, close
to R4 for these resources): every resource from the default content and a
clinic's edited copy parses, a corrupted one does not, and nothing personal
goes in beyond the first name and last initial."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from kiosk.checkin.consents import agreements
from kiosk.cli import main
from kiosk.content.model import load_content
from kiosk.desk.fhir import PAIN_CODE, fhir_context, questionnaire_version
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.clock import FIXED_NOW
from tests.support.paths import ROOT
from tests.support.records import CONTENT, checkin
from tests.support.visit import FOLLOWUP_VISIT, MEDICAL_VISIT


def records(content) -> list[dict]:
    first = checkin("Ann", answers=MEDICAL_VISIT, consents=agreements(
        content.questions, {"consent": True}, "en", FIXED_NOW, typed_name="Ann Zebedee Brown"),
        questionnaire=questionnaire_version(content.questions))
    followup = checkin("Ann", answers=FOLLOWUP_VISIT, visit="follow-up")
    legacy = checkin("Bo")
    legacy.pop("consents")
    return [first, followup, legacy]


def types_in(bundle: dict) -> list[str]:
    return [entry["resource"]["resourceType"] for entry in bundle["entry"]]


@pytest.mark.parametrize("edited", [False, True])
def test_every_resource_parses(tmp_path: Path, edited: bool) -> None:
    content = CONTENT
    if edited:  # A clinic's own copy: another prompt, another option's words.
        clinic = tmp_path / "content"
        shutil.copytree(ROOT / "content", clinic)
        path = clinic / "questionnaire.toml"
        path.write_text(path.read_text().replace(
            "What pressure do you prefer?", "How firm should we be?").replace(
            '{ id = "deep", label = "Deep" }', '{ id = "deep", label = "Deep tissue" }'))
        content = load_content(clinic)
    context = fhir_context(content, "https://www.example.com/aftercare", "Riverside")
    bundle = json.loads(context.bundle_text(records(content)))
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    assert sorted(set(types_in(bundle))) == ["Consent", "Observation", "Questionnaire",
                                             "QuestionnaireResponse"]
    forms = [e["resource"] for e in bundle["entry"]
             if e["resource"]["resourceType"] == "Questionnaire"]
    assert forms[0]["version"] == questionnaire_version(content.questions)
    assert forms[0]["url"] == "https://www.example.com/fhir/Questionnaire/first-visit"
    responses = [e["resource"] for e in bundle["entry"]
                 if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert responses[0]["questionnaire"] == f"{forms[0]['url']}|{forms[0]['version']}"
    observation = next(e["resource"] for e in bundle["entry"]
                       if e["resource"]["resourceType"] == "Observation")
    assert observation["code"]["coding"][0]["code"] == PAIN_CODE
    assert observation["valueInteger"] == MEDICAL_VISIT["pain"]
    consents = [e["resource"] for e in bundle["entry"]
                if e["resource"]["resourceType"] == "Consent"]
    assert len(consents) == 4, "two documents at each visit; none for the legacy one"
    assert consents[0]["sourceAttachment"]["url"].endswith(
        records(content)[0]["consents"][0]["version"])


@pytest.mark.parametrize(("kind", "corrupt"), [
    ("QuestionnaireResponse", lambda r: r.pop("status")),
    ("Observation", lambda r: r.update(valueInteger="seven")),
    ("Questionnaire", lambda r: r["item"][0].update(linkId=["not", "text"])),
    ("Consent", lambda r: r.update(dateTime="yesterday-ish")),
])
def test_a_corrupted_field_fails_validation(kind: str, corrupt) -> None:
    context = fhir_context(CONTENT, "https://www.example.com/aftercare", "Riverside")
    bundle = json.loads(context.bundle_text(records(CONTENT)))
    Bundle.model_validate(bundle)  # Whole, it parses.
    broken = copy.deepcopy(bundle)
    corrupt(next(e["resource"] for e in broken["entry"] if e["resource"]["resourceType"] == kind))
    with pytest.raises(ValidationError):
        Bundle.model_validate(broken)


def test_nothing_personal_beyond_the_first_name_and_initial() -> None:
    context = fhir_context(CONTENT, "https://www.example.com/aftercare", "Riverside")
    said = context.bundle_text(records(CONTENT))
    assert "Ann B." in said
    for private in ("Zebedee", "Brown", "typed_name"):
        assert private not in said


def test_kiosk_export_format_fhir_with_the_series_filter(tmp_path: Path, capsys) -> None:
    store = CheckInStore(tmp_path / "data")
    made = [store.add(record) for record in records(CONTENT)]
    series = store.link(made[1], to=made[0])
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["export", "--format", "fhir", *data]) == 0
    whole = json.loads(capsys.readouterr().out)
    Bundle.model_validate(whole)
    assert types_in(whole).count("QuestionnaireResponse") == 3
    assert main(["export", "--format", "fhir", "--series", series, *data]) == 0
    only = json.loads(capsys.readouterr().out)
    assert types_in(only).count("QuestionnaireResponse") == 2
    out = tmp_path / "bundle.json"
    assert main(["export", "--format", "fhir", "--output", str(out), *data]) == 0
    Bundle.model_validate(json.loads(out.read_text()))
    assert out.stat().st_mode & 0o777 == 0o600


def test_a_check_in_from_before_an_edit_keeps_its_own_questionnaire(tmp_path: Path,
                                                                   capsys) -> None:
    """The clinic edits a question after a check-in: the export still holds
    the questions that client answered, from the archive, beside today's."""
    from kiosk.desk.fhir import kept_questions

    clinic = tmp_path / "content"
    shutil.copytree(ROOT / "content", clinic)
    store = CheckInStore(tmp_path / "data")
    old = load_content(clinic)
    store.keep_consent_text(kept_questions(old.questions, "first", "en"))
    before = checkin("Ann", answers=MEDICAL_VISIT,
                     questionnaire=questionnaire_version(old.questions))
    store.add(before)
    path = clinic / "questionnaire.toml"
    path.write_text(path.read_text().replace("What pressure do you prefer?",
                                             "How firm should we be?"))
    new = load_content(clinic)
    after = checkin("Bo", answers=MEDICAL_VISIT,
                    questionnaire=questionnaire_version(new.questions))
    store.add(after)
    assert questionnaire_version(old.questions) != questionnaire_version(new.questions)

    assert main(["export", "--format", "fhir", "--content", str(clinic),
                 "--data-dir", str(tmp_path / "data")]) == 0
    bundle = json.loads(capsys.readouterr().out)
    Bundle.model_validate(bundle)
    forms = {f"{r['url']}|{r['version']}": r for r in
             (e["resource"] for e in bundle["entry"])
             if r["resourceType"] == "Questionnaire"}
    answered = [e["resource"]["questionnaire"] for e in bundle["entry"]
                if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert len(answered) == 2 and len(set(answered)) == 2
    for canonical in answered:  # Every response's questions are in the bundle.
        assert canonical in forms
    texts = {canonical: [item["text"] for item in form["item"]]
             for canonical, form in forms.items()}
    old_form = next(c for c in answered if c.endswith(questionnaire_version(old.questions)))
    assert "What pressure do you prefer?" in texts[old_form]
    assert "How firm should we be?" not in texts[old_form]

