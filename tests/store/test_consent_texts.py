"""The exact consent texts, kept by version on both stores: once, never
changed, surviving retention while check-ins point to them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from kiosk.content.consent import version_of
from kiosk.store.contract import ArchiveDamaged, ConsentText
from tests.support.clock import FIXED_NOW
from tests.support.records import checkin


def text(words: str, language: str = "en") -> ConsentText:
    body = f"# Treatment consent\n\n{words}\n"
    return ConsentText(version_of(body), "treatment", language, "Treatment consent", body)


def test_kept_once_by_version_and_read_back_exactly(store: Any) -> None:
    first = text("I agree to massage.")
    assert store.consent_text(first.version) is None
    store.keep_consent_text(first)
    store.keep_consent_text(first)  # Once: the same version is the same text.
    assert store.consent_text(first.version) == first
    changed = text("I agree to massage, and to be asked before each technique.")
    store.keep_consent_text(changed)
    assert changed.version != first.version, "changed words: a new version"
    assert store.consent_text(first.version) == first, "the old one stays as it was"


def test_a_wrong_version_is_refused_as_damaged(store: Any, request: pytest.FixtureRequest
                                               ) -> None:
    kept = text("Words.")
    store.keep_consent_text(kept)
    if request.node.callspec.params["make_store"] == "dayfiles":
        path = store.consents.path(kept.version)
        path.write_text(path.read_text().replace("Words.", "Other words."))
    else:
        import psycopg

        with psycopg.connect(store.url, autocommit=True) as db:
            db.execute("UPDATE consent_texts SET text = 'Other words.'")
    with pytest.raises(ArchiveDamaged, match=kept.version[:8]) as raised:
        store.consent_text(kept.version)
    assert "Other" not in str(raised.value)


def test_the_archive_survives_retention(store: Any) -> None:
    kept = text("Old words.")
    store.keep_consent_text(kept)
    agreed = {"document": "treatment", "title": "Treatment consent", "version": kept.version,
              "language": "en", "at": (FIXED_NOW - timedelta(days=40)).isoformat()}
    old = store.add(checkin("Ann", FIXED_NOW - timedelta(days=40), consents=[agreed]))
    recent = store.add(checkin("Bo", FIXED_NOW, consents=[{**agreed,
                                                          "at": FIXED_NOW.isoformat()}]))
    assert store.purge(30) == 1 and store.get(old) is None
    assert store.get(recent)["consents"][0]["version"] == kept.version
    assert store.consent_text(kept.version) == kept, "still there for the check-in that needs it"
