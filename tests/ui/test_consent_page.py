"""The consent page in Pilot: the documents whole before the box, what the
check-in keeps, the texts archived, and a typed signature where asked."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Label, Static

from kiosk.settings import Settings
from kiosk.store.dayfiles.store import CheckInStore
from screens.app import make_app
from tests.support.clock import fake_clock
from tests.support.visit import SPA_VISIT, answer_all, tap, type_text, wait_for


async def test_a_spanish_client_agrees_to_the_spanish_documents(settings: Settings) -> None:
    app = make_app(replace(settings, languages=("en", "es", "zh"), touch_keyboard=False),
                   clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "#language-es")
        await wait_for(pilot, lambda: app.language == "es", "Spanish")
        await answer_all(pilot, SPA_VISIT, stop_at="consent")
        titles = [str(label.render()) for label in app.screen.query(".document-title")
                  .results(Label)]
        assert titles == ["Consentimiento para el tratamiento", "Aviso de privacidad"]
        body = str(app.screen.query(".document").results(Static).__next__().render())
        assert "No sustituye un examen" in body
        await tap(pilot, "#choice-consent-yes")
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: bool(app.screen.query("#review")), "review")
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: app.screen.id == "result", "the result")
    store = CheckInStore(settings.data_dir)
    (record,) = store.all()
    assert [(c["document"], c["language"]) for c in record["consents"]] == [
        ("treatment", "es"), ("privacy", "es")]
    kept = store.consent_text(record["consents"][0]["version"])
    assert kept is not None and kept.text.startswith("# Consentimiento para el tratamiento")


async def test_a_typed_signature_where_the_clinic_asks_for_one(settings: Settings) -> None:
    app = make_app(replace(settings, consent_signature="typed", touch_keyboard=False),
                   clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, SPA_VISIT, stop_at="consent")
        await tap(pilot, "#choice-consent-yes")
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: "Please type your full name to sign." in str(
            app.screen.query_one("#question-consent .problem", Label).render()), "the problem")
        await tap(pilot, "#signature")
        await type_text(pilot, "Bo Chen")
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: bool(app.screen.query("#review")), "review")
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: app.screen.id == "result", "the result")
    (record,) = CheckInStore(settings.data_dir).all()
    assert {c["typed_name"] for c in record["consents"]} == {"Bo Chen"}


async def test_a_visit_keeps_the_questions_it_answered(settings: Settings) -> None:
    """Saving a visit keeps its questions by version, as it keeps consent
    texts: an export can say what was asked after the clinic edits them."""
    import json

    app = make_app(replace(settings, touch_keyboard=False), clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, SPA_VISIT)
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: app.screen.id == "result", "the result")
    store = CheckInStore(settings.data_dir)
    (record,) = store.all()
    kept = store.consent_text(record["questionnaire"])
    assert kept is not None and kept.document == "questions-first"
    assert [question["id"] for question in json.loads(kept.text)][:2] == ["name", "reasons"]
