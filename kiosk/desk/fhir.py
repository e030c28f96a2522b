"""Check-ins as FHIR R4: one Bundle of type `collection` holding a
Questionnaire for each version of the clinic's questions, a
QuestionnaireResponse for each check-in, an Observation for each pain score
(LOINC 72514-3), and a Consent for each document agreed to.

The client appears only as the kiosk asked: a first name and last initial,
as a reference's display. Nothing else personal goes in (not the typed
signature). Choices are coded in the clinic's own code system, one per
question, under the canonical base URL.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from kiosk.checkin.record import client_name, visit_of
from kiosk.content.kinds import Question
from kiosk.store.contract import ArchiveDamaged, ConsentText

Archive = Callable[[str], ConsentText | None]
"""A store's kept texts by version (`Store.consent_text`)."""
FORMS = {"first": "first-visit", "follow-up": "follow-up"}
"""Each kind of visit's Questionnaire, by the last part of its canonical URL."""

PAIN = "pain"
LOINC = "http://loinc.org"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
_TYPES = {"name": "string", "single": "choice", "multi": "choice", "scale": "integer",
          "consent": "boolean"}


@dataclass(frozen=True)
class FhirContext:
    """What a bundle needs beside the check-ins: the clinic's questions (in
    its own language), its canonical base, its name."""

    first: Sequence[Question]
    followup: Sequence[Question] | None
    base: str
    clinic: str
    archive: Archive | None = None
    """Where the questions of earlier versions are kept (None: the current only)."""

    def bundle_text(self, records: Iterable[Mapping[str, Any]]) -> str:
        return json.dumps(bundle(records, self.first, self.followup, base=self.base,
                                 clinic=self.clinic, archive=self.archive),
                          ensure_ascii=False, indent=1) + "\n"


def fhir_context(content: Any, aftercare_url: str, clinic: str,
                 archive: Archive | None = None) -> FhirContext:
    """The context for a clinic's content (`kiosk.content.model.Content`)."""
    return FhirContext(content.questions,
                       content.followup.questions if content.followup is not None else None,
                       canonical_base(aftercare_url), clinic, archive)


def canonical_base(aftercare_url: str) -> str:
    """The clinic's canonical base: its own web site's, under /fhir."""
    parts = urlsplit(aftercare_url)
    return f"{parts.scheme}://{parts.netloc}/fhir"


def questions_text(questions: Sequence[Question]) -> str:
    """The questions as the kiosk asks them, as one text: their ids, kinds,
    words and options. What a version is the SHA-256 of, and what is kept."""
    shape = [{"id": q.id, "kind": q.kind, "prompt": q.prompt, "short": q.short,
              "options": [[o.id, o.label] for o in q.options], "min": q.minimum,
              "max": q.maximum, "required": q.required} for q in questions]
    return json.dumps(shape, ensure_ascii=False, sort_keys=True)


def questionnaire_version(questions: Sequence[Question]) -> str:
    """A version for the questions as the kiosk asks them. Any edit is a new version."""
    return hashlib.sha256(questions_text(questions).encode()).hexdigest()


def kept_questions(questions: Sequence[Question], visit: str, language: str) -> ConsentText:
    """The questions a check-in answered, to keep beside the consent texts
    (under their version), so an export can still say what was asked after
    the clinic edits them."""
    return ConsentText(questionnaire_version(questions), f"questions-{visit}", language,
                       f"{visit} questions", questions_text(questions))


def questionnaire(questions: Sequence[Question], visit: str, base: str,
                  title: str) -> dict[str, Any]:
    return questionnaire_of(json.loads(questions_text(questions)),
                            questionnaire_version(questions), visit, base, title)


def questionnaire_of(shape: list[dict[str, Any]], version: str, visit: str, base: str,
                     title: str) -> dict[str, Any]:
    """A Questionnaire from the questions' kept shape (`questions_text`)."""
    items = []
    for question in shape:
        item: dict[str, Any] = {"linkId": question["id"], "text": question["prompt"],
                                "type": _TYPES[question["kind"]],
                                "required": question["required"]}
        if question["kind"] == "multi":
            item["repeats"] = True
        if question["options"]:
            item["answerOption"] = [{"valueCoding": {
                "system": f"{base}/CodeSystem/{question['id']}", "code": option_id,
                "display": label}} for option_id, label in question["options"]]
        items.append(item)
    return {"resourceType": "Questionnaire", "id": f"{visit}-{version[:16]}",
            "url": f"{base}/Questionnaire/{visit}", "version": version, "status": "active",
            "title": title, "item": items}


def _earlier_forms(records: Sequence[Mapping[str, Any]], known: set[str], archive: Archive,
                   base: str, clinic: str) -> list[dict[str, Any]]:
    """A Questionnaire for each earlier version of the questions these
    check-ins answered, from the archive (a version it lacks is left out:
    the responses still name it)."""
    forms = []
    wanted = sorted({str(record["questionnaire"]) for record in records
                     if isinstance(record.get("questionnaire"), str)} - known)
    for version in wanted:
        with suppress(ArchiveDamaged, ValueError, KeyError, TypeError):
            kept = archive(version)
            visit = FORMS.get(kept.document.removeprefix("questions-")) if kept else None
            if kept is None or visit is None:
                continue
            title = f"{clinic}: check-in" if visit == "first-visit" else (
                f"{clinic}: follow-up check-in")
            forms.append(questionnaire_of(json.loads(kept.text), version, visit, base, title))
    return forms


def _answer(question: Question | None, value: Any, base: str) -> list[dict[str, Any]]:
    if value in (None, [], ""):
        return []
    if question is None:
        return [{"valueString": str(value)}]
    if question.kind == "name":
        first, initial = value.get("first", ""), value.get("last_initial", "")
        return [{"valueString": f"{first} {initial}.".strip() if initial else first}]
    if question.kind == "consent":
        return [{"valueBoolean": value is True}]
    if question.kind == "scale":
        return [{"valueInteger": int(value)}]
    labels = {option.id: option.label for option in question.options}
    return [{"valueCoding": {"system": f"{base}/CodeSystem/{question.id}", "code": code,
                             **({"display": labels[code]} if code in labels else {})}}
            for code in (value if isinstance(value, list) else [value])]


def _urn(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, '/'.join(parts))}"


def check_in_resources(record: Mapping[str, Any], questions: Sequence[Question],
                       base: str, questionnaire_urls: Mapping[str, str]
                       ) -> list[tuple[str, dict[str, Any]]]:
    """A check-in's QuestionnaireResponse, its pain Observation, and a
    Consent for each document agreed to, each with its bundle fullUrl."""
    by_id = {question.id: question for question in questions}
    who = {"display": client_name(record) or "(no name)"}
    response_url = f"urn:uuid:{record['id']}"
    answers = record.get("answers") or {}
    items = []
    for question_id, value in answers.items():
        answered = _answer(by_id.get(question_id), value, base)
        item: dict[str, Any] = {"linkId": question_id}
        if question_id in by_id:
            item["text"] = by_id[question_id].prompt
        if answered:
            item["answer"] = answered
        items.append(item)
    form = questionnaire_urls[visit_of(record)]
    if isinstance(record.get("questionnaire"), str):
        # The version its client answered, which may be older than the bundle's.
        form = f"{form.split('|')[0]}|{record['questionnaire']}"
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse", "id": str(record["id"]),
        "questionnaire": form, "status": "completed",
        "subject": who, "authored": record["created_at"], "item": items}
    found = [(response_url, response)]
    pain = answers.get(PAIN)
    if isinstance(pain, int) and not isinstance(pain, bool):
        found.append((_urn(str(record["id"]), "pain"), {
            "resourceType": "Observation", "status": "final",
            "category": [{"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "survey", "display": "Survey"}]}],
            "code": {"coding": [{"system": LOINC, "code": PAIN_CODE, "display": PAIN_DISPLAY}],
                     "text": "Pain now, 0 to 10"},
            "subject": who, "effectiveDateTime": record["created_at"], "valueInteger": pain,
            "derivedFrom": [{"reference": response_url}]}))
    for agreed in record.get("consents", []):
        found.append((_urn(str(record["id"]), "consent", agreed["version"]), {
            "resourceType": "Consent", "status": "active",
            "scope": {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                "code": "treatment", "display": "Treatment"}]},
            "category": [{"coding": [{"system": LOINC, "code": "59284-0",
                                      "display": "Patient Consent"}]}],
            "patient": who, "dateTime": agreed["at"],
            "policyRule": {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                "code": "OPTIN", "display": "opt-in"}]},
            "sourceAttachment": {
                "contentType": "text/markdown", "language": agreed.get("language", "en"),
                "url": f"{base}/consent/{agreed['document']}/{agreed['version']}",
                "title": f"{agreed.get('title') or agreed['document']} "
                         f"(version {agreed['version'][:8]})"}}))
    return found


def bundle(records: Iterable[Mapping[str, Any]], first: Sequence[Question],
           followup: Sequence[Question] | None, *, base: str, clinic: str,
           now: datetime | None = None, archive: Archive | None = None) -> dict[str, Any]:
    """One Bundle of type collection for these check-ins: the questions as
    they are now, and as each check-in answered them where that was an
    earlier version the archive keeps."""
    records = list(records)
    forms = {"first": questionnaire(first, "first-visit", base, f"{clinic}: check-in")}
    if followup is not None:
        forms["follow-up"] = questionnaire(followup, "follow-up", base,
                                           f"{clinic}: follow-up check-in")
    urls = {visit: f"{form['url']}|{form['version']}" for visit, form in forms.items()}
    urls.setdefault("follow-up", urls["first"])
    every_form = list(forms.values())
    if archive is not None:
        every_form += _earlier_forms(records, {form["version"] for form in every_form},
                                     archive, base, clinic)
    entries: list[dict[str, Any]] = [
        {"fullUrl": _urn(form["url"], form["version"]), "resource": form}
        for form in every_form]
    every = [*first, *(followup or [])]
    for record in records:
        entries.extend({"fullUrl": url, "resource": resource}
                       for url, resource in check_in_resources(record, every, base, urls))
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return {"resourceType": "Bundle", "type": "collection",
            "timestamp": moment.isoformat(timespec="seconds"), "entry": entries}
