"""Consent documents: the clinic's own words a client agrees to, as
Markdown in `content/consent/<id>.md` (and `content/<language>/consent/`).

A document's version is the SHA-256 of its exact text, so any change to the
words is a new version, and a check-in keeps the version its client read.
The first line is its title (`# Treatment consent`), after any `[//]: #`
comment lines (a translator's note, not shown); the rest is shown as text,
whatever it holds: never as markup.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.tomltable import ContentError, Table, control_characters, read_text

FOLDER = "consent"
MOST_BYTES = 64 * 1024
"""A document longer than this is not one a client reads at a kiosk."""
_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class ConsentDocument:
    """One document, exactly as the clinic wrote it."""

    id: str
    title: str
    text: str
    """Exactly what the client is shown (the file without its leading
    `[//]: #` comment lines): what the version is the hash of."""

    @property
    def version(self) -> str:
        """The SHA-256 of the exact text, in hex."""
        return version_of(self.text)

    @property
    def body(self) -> str:
        """The text after the title line, as the client reads it."""
        return self.text.split("\n", 1)[1].strip("\n") if "\n" in self.text else ""


def version_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_document(folder: Path, document_id: str) -> ConsentDocument:
    """`folder/consent/<id>.md`, checked: one line naming the file if it is
    missing, not UTF-8, holds a control character, or has no `# title`."""
    path = folder / FOLDER / f"{document_id}.md"
    text = read_text(path, missing="the consent document is missing")
    if len(text.encode("utf-8")) > MOST_BYTES:
        raise ContentError(path, f"is longer than {MOST_BYTES // 1024} KiB")
    for number, line in enumerate(text.split("\n"), start=1):
        if control_characters(line.rstrip("\r").replace("\t", " ")):
            raise ContentError(path, f"line {number} holds a control character (such as ESC)")
    # Markdown comments before the title (a translator's note) are not shown.
    lines = text.split("\n")
    while lines and (lines[0].startswith("[//]:") or not lines[0].strip()):
        lines.pop(0)
    text = "\n".join(lines)
    first = text.split("\n", 1)[0].strip()
    if not first.startswith("# ") or not first[2:].strip():
        raise ContentError(path, "must begin with its title, as '# Treatment consent'")
    if not text.split("\n", 1)[1:] or not text.split("\n", 1)[1].strip():
        raise ContentError(path, "has a title but no text")
    return ConsentDocument(document_id, first[2:].strip(), text)


def load_documents(table: Table) -> tuple[ConsentDocument, ...]:
    """A consent question's `documents = [...]`, read from the content
    folder beside its file."""
    ids = table.strings("documents", [])
    documents: list[ConsentDocument] = []
    for document_id in ids:
        if not _ID.fullmatch(document_id):
            raise table.fail(f"'documents' names '{document_id}', which is not an id "
                             "(lower-case letters, digits, _)")
        if document_id in [document.id for document in documents]:
            raise table.fail(f"'documents' names '{document_id}' twice")
        documents.append(load_document(table.path.parent, document_id))
    return tuple(documents)


def same_documents(ours: tuple[ConsentDocument, ...], theirs: tuple[ConsentDocument, ...],
                   path: Path, language: str, original: Path) -> None:
    """Every language offers the same documents in the same order."""
    mine, other = [d.id for d in ours], [d.id for d in theirs]
    if mine != other:
        raise ContentError(path, f"in '{language}', the consent documents are "
                                 f"{other or 'none'}, not {mine or 'none'} as in {original}")
