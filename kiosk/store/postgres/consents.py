"""Consent texts in PostgreSQL: kept once under their version, read by the
desk; a kiosk's delivery adds the texts its check-ins point to."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from kiosk.store.contract import ConsentText
from kiosk.store.shared import consent_text_from

if TYPE_CHECKING:
    import psycopg

INSERT_TEXT = """
    INSERT INTO consent_texts (version, document, language, title, text)
    VALUES (%(version)s, %(document)s, %(language)s, %(title)s, %(text)s)
    ON CONFLICT DO NOTHING
"""
"""Kept once: a version already there is the same text (all a kiosk's
role may do)."""


def keep_texts(cursor: psycopg.Cursor[Any], texts: Iterable[ConsentText]) -> None:
    cursor.executemany(INSERT_TEXT, [text.to_json() for text in texts])


class PostgresConsents:
    """A `PostgresStore`'s consent texts."""

    _db: Callable[[str], AbstractContextManager[psycopg.Connection[Any]]]

    def keep_consent_text(self, text: ConsentText) -> None:
        with self._db("save") as db, db.cursor() as cursor:
            keep_texts(cursor, [text])

    def consent_text(self, version: str) -> ConsentText | None:
        with self._db("read") as db:
            row = db.execute("SELECT version, document, language, title, text "
                             "FROM consent_texts WHERE version = %s", (version,)).fetchone()
        if row is None:
            return None
        return consent_text_from(dict(zip(("version", "document", "language", "title", "text"),
                                          row, strict=True)), version)
