"""What a check-in keeps of the consent its client gave: each document's
version (the SHA-256 of the exact text shown), its language and the time,
and the typed name where the clinic asks for one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from kiosk.content.consent import ConsentDocument
from kiosk.content.kinds import Question
from kiosk.i18n import N_

LEGACY = N_("consent: yes, text not recorded")
"""What the desk reads for a check-in from before documents were kept."""


def documents_agreed(questions: Iterable[Question], answers: Mapping[str, Any]
                     ) -> list[ConsentDocument]:
    """The documents of every consent question answered yes."""
    return [document for question in questions
            if question.kind == "consent" and answers.get(question.id) is True
            for document in question.documents]


def agreements(questions: Iterable[Question], answers: Mapping[str, Any], language: str,
               at: datetime, typed_name: str | None = None) -> list[dict[str, str]]:
    """The check-in's `consents`: one for each document agreed to."""
    agreed = []
    for document in documents_agreed(questions, answers):
        entry = {"document": document.id, "title": document.title,
                 "version": document.version, "language": language,
                 "at": at.isoformat(timespec="seconds")}
        if typed_name:
            entry["typed_name"] = typed_name
        agreed.append(entry)
    return agreed
