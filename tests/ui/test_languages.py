"""Every client in their own language: the picker on Welcome, the program's
words from gettext catalogs, one questionnaire in many languages, records in
none, aftercare in each, and screens that hold in Spanish and Chinese."""

from __future__ import annotations

import asyncio
import re
import shutil
import tomllib
from functools import partial
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po
from textual.widgets import Button, Label, Static

import kiosk.i18n as i18n
from kiosk.cli import main
from kiosk.content.model import default_content_dir, load_content
from kiosk.i18n import catalog_path, fields_of, untranslated, words
from kiosk.settings import Settings, load_settings
from screens.app import make_app
from tests.support.clock import fake_clock
from tests.support.languages import _template_keys, check_screen
from tests.support.paths import ROOT
from tests.support.qrimage import decode, text_to_image
from tests.support.visit import (
    FOLLOWUP_VISIT,
    MEDICAL_VISIT,
    SPA_VISIT,
    answer_all,
    tap,
    wait_for,
    wait_for_screen,
)

TRANSLATED = ("es", "zh")
LANGUAGES = ["en", "es", "zh"]


def _catalog(language: str):
    with catalog_path(language, ".po").open("rb") as source:
        return read_po(source, locale=language)


# -- The catalogs ---------------------------------------------------------------------


def test_the_template_holds_every_message_the_code_marks() -> None:
    """A message added to the code without `pybabel extract` fails here."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["babel"]
    from babel.messages.frontend import parse_keywords

    keywords = parse_keywords(config["extract_messages"]["keywords"].split())
    found = set()
    for folder in config["extract_messages"]["input_paths"]:
        for _, _, message, _, context in extract_from_dir(ROOT / folder, keywords=keywords):
            found.add((message, context))
    assert found == _template_keys()


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_a_translation(language: str) -> None:
    catalog = _catalog(language)
    for message_id, context in _template_keys():
        message = catalog.get(message_id, context=context)
        assert message is not None, f"{language}: no entry for {message_id!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{language}: {message_id!r} is not translated"
        assert "fuzzy" not in message.flags, f"{language}: {message_id!r} is fuzzy"
        # A translation keeps every {field} of the English, and adds none.
        ids = message_id if isinstance(message_id, tuple) else (message_id,)
        for string in strings:
            # Labels and buttons read Textual markup: a translation holds
            # none, and nothing a terminal would act on.
            assert "[" not in string and not any(ord(char) < 0x20 for char in string), (
                language, message_id)
            assert fields_of(string) == fields_of(ids[-1]) | (
                {"count"} if isinstance(message_id, tuple) else set()), (language, message_id)
    assert untranslated(language) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalog_is_the_source_catalog(language: str) -> None:
    """`pybabel compile` was run after the last change to the .po."""
    with catalog_path(language).open("rb") as compiled:
        mo = read_mo(compiled)
    po = _catalog(language)
    for message in po:
        if message.id:
            compiled_string = mo.get(message.id, context=message.context).string
            if isinstance(compiled_string, list):
                compiled_string = tuple(compiled_string)
            assert compiled_string == message.string, (language, message.id)


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_translated_file_says_it_needs_a_native_speakers_review(language: str) -> None:
    files = [catalog_path(language, ".po"), *sorted((default_content_dir() / language).rglob("*.*"))]
    for path in files:
        head = "\n".join(path.read_text(encoding="utf-8").splitlines()[:5])
        head = re.sub(r'\[//\]:|[#"]', " ", head)  # Comment marks, of TOML, .po and Markdown.
        assert "native speaker review it before clinical use" in " ".join(head.split()), path


@pytest.fixture
def locale_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of the catalogs that a test may break; the real ones are read
    again after it."""
    copy = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, copy)
    monkeypatch.setattr(i18n, "LOCALE_DIR", copy)
    words.cache_clear()
    yield copy
    words.cache_clear()


def _drop_spanish_entry(copy: Path, message_id: str) -> None:
    po_path = copy / "es" / "LC_MESSAGES" / "kiosk.po"
    catalog = read_po(po_path.open("rb"), locale="es")
    catalog.delete(message_id)
    with po_path.open("wb") as out:
        write_po(out, catalog)
    with po_path.with_suffix(".mo").open("wb") as out:
        write_mo(out, catalog)


def test_a_deleted_spanish_entry_is_found(tmp_path: Path, locale_copy: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """The mutation check: delete one entry, and both the completeness check
    and check-content fail, naming the language, the file and the message."""
    _drop_spanish_entry(locale_copy, "Check me in ✓")
    assert untranslated("es") == ["Check me in ✓"]
    assert untranslated("zh") == []
    config = tmp_path / "kiosk.toml"
    config.write_text('languages = ["en", "es", "zh"]\n')
    assert main(["check-content", "--config", str(config)]) == 2
    error = capsys.readouterr().err
    assert "'es'" in error and "es/LC_MESSAGES/kiosk.po" in error and "Check me in ✓" in error
    assert error.count("\n") == 1 and "Traceback" not in error


def test_a_missing_translation_shows_in_english_rather_than_blank(locale_copy: Path) -> None:
    _drop_spanish_entry(locale_copy, "Review")
    assert words("es")._("Review") == "Review"
    assert words("es")._("Next ▶") == "Siguiente ▶"


@pytest.mark.parametrize("damage", [b"", b"not a catalog at all", b"\xde\x12\x04\x95\x00"])
async def test_a_damaged_catalog_closes_the_kiosk_with_the_file_named(
        multilingual: Settings, locale_copy: Path, damage: bytes) -> None:
    """A .mo cut short or overwritten: the kiosk closes at start (exit 2)
    naming it, as for a broken content file, instead of failing mid-visit."""
    mo = locale_copy / "zh" / "LC_MESSAGES" / "kiosk.mo"
    mo.write_bytes(damage)
    app = make_app(multilingual, clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: not app.is_running, "the kiosk to close")
    assert app.return_code == 2
    assert str(mo) in str(app.content_error) and "damaged" in str(app.content_error)
    assert untranslated("zh") != []


def test_plural_forms_follow_each_language() -> None:
    spanish, chinese = words("es"), words("zh")
    assert spanish.n_("Starting over in {count} second.", "Starting over in {count} seconds.",
                      1) == "Se reinicia en 1 segundo."
    assert spanish.n_("Starting over in {count} second.", "Starting over in {count} seconds.",
                      20) == "Se reinicia en 20 segundos."
    assert chinese.n_("Starting over in {count} second.", "Starting over in {count} seconds.",
                      20) == "20 秒后重新开始。"


def test_times_follow_the_language_not_the_machine(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime

    monkeypatch.setenv("LC_ALL", "C")
    moment = datetime(2026, 11, 13, 14, 5)
    assert words("en").time(moment) == "2:05\u202fPM"
    assert words("es").time(moment) == "14:05"
    assert words("zh").time(moment) == "14:05"


def test_the_desks_days_and_times_follow_the_language_not_the_machine(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Babel's CLDR data writes the desk's dates: a day, a day and a time, a
    log's stamp, a count; the clock is 24-hour in every language."""
    from datetime import date, datetime

    monkeypatch.setenv("LC_ALL", "C")
    moment = datetime(2026, 11, 3, 14, 5, 9)
    expected = {
        "en": ("Nov 3, 2026", "Nov 3", "Nov 3, 2026 14:05", "11/3/2026 14:05:09", "1,234"),
        "es": ("3 nov 2026", "3 nov", "3 nov 2026 14:05", "3/11/2026 14:05:09", "1.234"),
        "zh": ("2026年11月3日", "11月3日", "2026年11月3日 14:05", "2026/11/3 14:05:09", "1,234"),
    }
    for language, (day, short, day_time, stamp, number) in expected.items():
        said = words(language)
        assert (said.day(date(2026, 11, 3)), said.day(moment.date(), year=False),
                said.day_time(moment), said.stamp(moment), said.number(1234)) == (
            day, short, day_time, stamp, number), language


def test_a_status_is_not_the_button_that_ends_a_visit() -> None:
    """ "Done" means two things: the catalogs tell them apart by context."""
    from kiosk.desk.rows import status_label

    spanish = words("es")
    assert spanish._("Done") == "Terminar"  # The result screen's button.
    assert status_label({"status": "done"}, spanish) == "Terminado"
    assert status_label({"status": "done"}, words("zh")) == "已完成"
    assert status_label({"status": "done"}) == "Done"


def test_the_command_line_stays_english_where_the_desk_speaks_spanish() -> None:
    """One function, two readers: `kiosk doctor` and the desk's problem line."""
    from datetime import datetime

    from kiosk.desk.schedule import stale_lines
    from kiosk.store.contract import SourceState

    failing = [SourceState("clinic.ics", last_good=datetime(2026, 11, 3, 14, 5).astimezone(),
                           error="clinic.ics: can't be read", error_at=datetime.now())]
    assert stale_lines(failing) == [
        "clinic.ics: can't be read; the schedule shown is from Nov 3, 2026 14:05"]
    assert stale_lines(failing, words("es")) == [
        "clinic.ics: can't be read; la agenda mostrada es del 3 nov 2026 14:05"]


def test_lists_of_answers_are_joined_as_the_language_joins_them() -> None:
    question = load_content(default_content_dir() / "zh").question("focus")
    from kiosk.checkin.record import describe

    assert words("zh").say(describe(question, ["neck", "feet"])) == "颈部、足部"


# -- Settings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('languages = ["es", "zh"]', "must include the clinic's own 'language' (\"en\")"),
        ('languages = ["en", "fr"]', "'languages' names 'fr', but the program's words have no"),
        ('language = "fr"', "'language' names 'fr', but the program's words have no"),
        ('languages = ["en", "en"]', "names a language twice"),
        ('languages = []', "'languages' is empty"),
        ('languages = ["en", "../x"]', "must list codes such as"),
        ('languages = "es"', "'languages' must be a list of language codes"),
    ],
)
def test_bad_languages_setting_stops_with_the_place_named(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, problem: str) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(text + "\n")
    assert main(["config", "--config", str(config)]) == 2
    error = capsys.readouterr().err
    assert str(config) in error and problem in error and error.count("\n") == 1


# -- One questionnaire, many languages -------------------------------------------------


def _content_copy(tmp_path: Path) -> tuple[Path, Path]:
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'languages = ["en", "es", "zh"]\ncontent_dir = "{content}"\n')
    return content, config


def test_check_content_passes_every_language(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    _, config = _content_copy(tmp_path)
    assert main(["check-content", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "Languages: en, es, zh" in out and "/es: OK" in out and "/zh: OK" in out


@pytest.mark.parametrize(
    ("language", "file", "before", "after", "named"),
    [
        ("es", "questionnaire.toml", 'id = "stress"', 'id = "estres"', "option 'stress'"),
        ("zh", "questionnaire.toml", 'id = "pressure"', 'id = "force"', "question 'pressure'"),
        ("es", "followup.toml", 'id = "worse"', 'id = "peor"', "'worse'"),
        ("zh", "rules.toml", "at_least = 6", "at_least = 7", "rules differ"),
        ("es", "rules.toml", "[types.spa]", "[types.balneario]", "'spa'"),
    ],
)
def test_check_content_refuses_a_language_that_differs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str, file: str,
        before: str, after: str, named: str) -> None:
    content, config = _content_copy(tmp_path)
    path = content / language / file
    text = path.read_text(encoding="utf-8")
    assert before in text
    path.write_text(text.replace(before, after, 1), encoding="utf-8")
    assert main(["check-content", "--config", str(config)]) == 2
    error = capsys.readouterr().err
    assert f"{path}:" in error and f"in '{language}'" in error and named in error, error
    assert error.count("\n") == 1


def test_check_content_refuses_a_language_with_a_missing_aftercare_page(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content, config = _content_copy(tmp_path)
    (content / "zh" / "aftercare" / "spa.md").unlink()
    assert main(["check-content", "--config", str(config)]) == 2
    assert "zh/aftercare/spa.md: in 'zh', is missing" in capsys.readouterr().err


def test_the_kiosk_refuses_to_start_on_a_language_that_differs(tmp_path: Path) -> None:
    import asyncio

    content, config = _content_copy(tmp_path)
    path = content / "es" / "questionnaire.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('id = "stress"', 'id = "x"'),
                    encoding="utf-8")
    settings = load_settings(config=config, data_dir=tmp_path / "data", environ={})
    app = make_app(settings, clock=fake_clock())

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await wait_for(pilot, lambda: not app.is_running, "the kiosk to close")

    asyncio.run(run())
    assert app.return_code == 2 and app.content_error is not None
    assert "in 'es'" in str(app.content_error)


# -- Aftercare in every language --------------------------------------------------------


def test_aftercare_build_writes_every_language_each_linking_to_the_others(
        tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('languages = ["en", "es", "zh"]\n')
    site = tmp_path / "site"
    assert main(["aftercare", "build", "--config", str(config), str(site)]) == 0
    for folder, lang in (("", "en"), ("es/", "es"), ("zh/", "zh")):
        for type_id in ("medical", "spa"):
            page = (site / f"{folder}{type_id}" / "index.html").read_text(encoding="utf-8")
            assert f'<html lang="{lang}">' in page
            assert 'id="at-home"' in page
            others = [other for other in LANGUAGES if other != lang]
            for other in others:
                target = "" if other == "en" else f"{other}/"
                up = "../" if lang == "en" else "../../"
                assert f'href="{up}{target}{type_id}/" lang="{other}"' in page, (lang, other)
                # The link leads to a page that is there.
                assert (site / f"{folder}{type_id}" / f"{up}{target}{type_id}" /
                        "index.html").resolve().is_file()
    spanish = (site / "es" / "medical" / "index.html").read_text(encoding="utf-8")
    assert "Después de su masaje médico" in spanish and "Todas las guías de cuidados" in spanish
    assert ">Español<" not in spanish and ">English<" in spanish and ">中文<" in spanish
    chinese = (site / "zh" / "index.html").read_text(encoding="utf-8")
    assert "按摩后的护理" in chinese


# -- The kiosk, driven ---------------------------------------------------------------------


@pytest.fixture
def multilingual(settings: Settings) -> Settings:
    from dataclasses import replace

    return replace(settings, languages=tuple(LANGUAGES))


def _qr_url(app) -> str | None:
    qr = app.screen.query_one("#qr")
    return decode(text_to_image(qr.lines))


async def test_a_whole_visit_in_spanish_by_taps(multilingual: Settings) -> None:
    app = make_app(multilingual, clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "#language-es")
        await wait_for(pilot, lambda: "Primera visita" in str(
            app.screen.query_one("#start", Button).label), "Welcome in Spanish")
        await answer_all(pilot, MEDICAL_VISIT)
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
        assert "Masaje médico" in str(app.screen.query_one("#recommendation", Label).content)
        assert _qr_url(app) == "https://www.example.com/aftercare/es/medical"
        record = app.store.all()[0]
        assert record["language"] == "es"
        # Stored as ids and in the clinic's own words, whatever the client read.
        assert record["answers"]["injury"] == "car_accident"
        assert record["recommendation"]["name"] == "Medical massage"
        assert all(not re.search(r"[áéíóúñ]", flag["staff"]) for flag in record["flags"])
        await tap(pilot, "#done")
        await wait_for_screen(pilot, "welcome")
        await wait_for(pilot, lambda: str(app.screen.query_one("#start", Button).label)
                       == "First visit", "Welcome back in English")
        assert app.language == "en"


@pytest.mark.parametrize(
    ("language", "follow_up", "url", "heading"),
    [
        # Chinese: the Chinese page.
        ("zh", False, "https://www.example.com/aftercare/zh/spa", "您已于"),
        # A Spanish follow-up: the Spanish page's between-sessions section.
        ("es", True, "https://www.example.com/aftercare/es/medical#at-home",
         "¡Bienvenido de nuevo!"),
        # The clinic's own language keeps the short address.
        ("en", False, "https://www.example.com/aftercare/spa", "You're checked in"),
    ],
)
async def test_each_language_opens_its_own_aftercare_page(
        multilingual: Settings, language: str, follow_up: bool, url: str, heading: str) -> None:
    app = make_app(multilingual, clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, f"#language-{language}")
        await answer_all(pilot, FOLLOWUP_VISIT if follow_up else SPA_VISIT, follow_up=follow_up)
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
        assert _qr_url(app) == url
        assert heading in str(app.screen.query_one("#checked-in").render())
        assert app.store.all()[0]["language"] == language


async def test_the_idle_wipe_returns_welcome_to_the_clinics_language(
        multilingual: Settings) -> None:
    clock = fake_clock()
    app = make_app(multilingual, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "#language-zh")
        await answer_all(pilot, MEDICAL_VISIT, stop_at="pain")
        clock.advance(multilingual.idle_seconds + 1)
        await app.reset_if_idle()
        await wait_for_screen(pilot, "still-there")
        await wait_for(pilot, lambda: bool(app.screen.query("#still-there-title")), "question")
        assert "您还在吗？" in str(app.screen.query_one("#still-there-title", Label).content)
        clock.advance(multilingual.idle_warning_seconds + 1)
        app.screen.tick()
        await wait_for_screen(pilot, "welcome")
        await wait_for(pilot, lambda: str(app.screen.query_one("#start", Button).label)
                       == "First visit", "Welcome back in English")
        assert app.language == "en" and app.store.all() == []


async def test_a_language_picked_then_left_returns_to_the_clinics_own(
        multilingual: Settings) -> None:
    """A client taps Español on Welcome and walks away without starting: after
    the idle time, Welcome is in English again for the next client."""
    clock = fake_clock()
    app = make_app(multilingual, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "#language-es")
        await wait_for(pilot, lambda: app.language == "es", "Spanish")
        clock.advance(multilingual.idle_seconds - 1)
        await app.reset_if_idle()
        assert app.language == "es"  # Not yet: someone may be reading.
        clock.advance(2)
        await app.reset_if_idle()
        await wait_for(pilot, lambda: str(app.screen.query_one("#start", Button).label)
                       == "First visit", "Welcome in English")
        assert app.language == "en"


async def test_the_staff_pin_pad_on_the_kiosk_speaks_the_clients_language(
        multilingual: Settings) -> None:
    from kiosk.access.pin import StaffPin

    StaffPin(multilingual.data_dir).set("2468")
    app = make_app(multilingual, clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "#language-es")
        for _ in range(5):
            await pilot.click("#welcome-clinic")
        await wait_for_screen(pilot, "pin-pad")
        assert str(app.screen.query_one("#pin-title", Label).content) == "PIN del personal"
        assert str(app.screen.query_one("#pin-cancel", Button).label) == "Cancelar"
        assert str(app.screen.query_one("#pin-ok", Button).label) == "Aceptar"


# -- Layout: every client screen, in each language, drawn at 80x24 -----------------------






@pytest.mark.parametrize("text_size", ["normal", "large"])
@pytest.mark.parametrize("language", ["en", *TRANSLATED])
async def test_every_client_screen_holds_at_80x24(multilingual: Settings, language: str,
                                                  text_size: str) -> None:
    """In each language, in the normal and the large-text layout."""
    from dataclasses import replace

    from kiosk.access.pin import StaffPin

    clock = fake_clock()
    multilingual = replace(multilingual, text_size=text_size)
    app = make_app(multilingual, clock=clock)
    check = partial(check_screen, app, language, data=[multilingual.clinic_name])
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, f"#language-{language}")
        await pilot.pause()
        check("welcome")
        await tap(pilot, "#start")
        await wait_for_screen(pilot, "walkthrough")
        for page in range(6):
            await wait_for(pilot, lambda p=page: app.screen.page == p, f"page {page}")
            await pilot.pause()
            check(f"walkthrough page {page + 1}")
            await tap(pilot, "#next")
        for question_id, answer in MEDICAL_VISIT.items():
            await wait_for(pilot, lambda q=question_id: bool(
                app.screen.query(f"#question-{q}")), question_id)
            await pilot.pause()
            check(question_id)
            # Its problem line, too.
            await tap(pilot, "#next")
            await pilot.pause()
            check(f"{question_id} with its problem")
            from tests.support.visit import answer_by_taps

            await answer_by_taps(pilot, question_id, answer)
        await wait_for(pilot, lambda: bool(app.screen.query("#review")), "review")
        await pilot.pause()
        check("review")
        clock.advance(multilingual.idle_seconds + 1)
        await app.reset_if_idle()
        await wait_for_screen(pilot, "still-there")
        check("still there")
        await tap(pilot, "#still-here")
        await wait_for_screen(pilot, "questionnaire")
        app.store.data_dir.parent.mkdir(parents=True, exist_ok=True)
        blocked = app.store.data_dir
        shutil.rmtree(blocked, ignore_errors=True)
        blocked.write_text("in the way")
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "save-failed")
        check("save failed")
        blocked.unlink()
        await tap(pilot, "#retry")
        await wait_for_screen(pilot, "result")
        await pilot.pause()
        check("result")
        await tap(pilot, "#done")
        await wait_for_screen(pilot, "welcome")
        await tap(pilot, f"#language-{language}")
        for _ in range(5):
            await pilot.click("#welcome-clinic")
        await wait_for(pilot, lambda: bool(app.screen.query("#choice-title")), "no PIN set")
        check("no staff PIN set")
        await tap(pilot, "#choice-ok")
        await wait_for_screen(pilot, "welcome")
        StaffPin(multilingual.data_dir).set("2468")
        for _ in range(5):
            await pilot.click("#welcome-clinic")
        await wait_for_screen(pilot, "pin-pad")
        check("staff PIN pad")
        await tap(pilot, "#pin-cancel")
        await wait_for_screen(pilot, "welcome")
        await app.recover()  # What an unexpected error leads to.
        await wait_for(pilot, lambda: bool(app.screen.query("#crash-text")), "the calm word")
        await pilot.pause()
        check("something went wrong")


async def test_the_layout_check_finds_a_cut_word_and_a_small_control() -> None:
    """The checker above can fail: a word cut at a narrow label's edge, a
    control under 3x10. (Chinese may break between any two characters, and a
    wide character is never split by the renderer: those are not faults.)"""
    from textual.app import App, ComposeResult

    class Cramped(App[None]):
        CSS = "#narrow { width: 6; } #small { width: 8; min-width: 8; }"

        def __init__(self, text: str, small: bool) -> None:
            super().__init__()
            self.text, self.small = text, small

        def compose(self) -> ComposeResult:
            yield Static(self.text, id="narrow")
            if self.small:
                yield Button("OK", id="small")

    for text, small in (("Españolísimo", False), ("ok", True)):
        app = Cramped(text, small)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            with pytest.raises(AssertionError):
                check_screen(app, "en", text)


# -- At the desk --------------------------------------------------------------------


def test_staff_read_a_spanish_check_in_in_the_clinics_words_and_see_its_language() -> None:
    from kiosk.checkin.record import Recommendation, new_record
    from kiosk.desk.rows import detail_lines, export_columns, export_row
    from tests.support.clock import FIXED_NOW

    content = load_content(default_content_dir())
    answers = {"name": {"first": "Ana", "last_initial": "B"}, "focus": ["neck", "feet"]}
    record = new_record(answers, Recommendation("medical", "Medical massage", "why"), (),
                        FIXED_NOW, language="es")
    lines = detail_lines(record, content.all_questions())
    assert (lines[0].label, lines[0].answer) == ("Language", "Español")
    assert any(line.answer == "Neck, Feet" for line in lines)
    # In the clinic's own language, nothing to say.
    assert all(line.label != "Language" for line in
               detail_lines({**record, "language": "en"}, content.all_questions()))
    columns = export_columns(content.all_questions())
    row = export_row(record, content.all_questions())
    assert row[columns.index("language")] == "es"
    assert row[columns.index("focus")] == "Neck, Feet"


def test_the_longest_address_a_code_holds() -> None:
    from kiosk.web.qr import FITS_80X24_BYTES, longest_url, qr_text

    url = longest_url("https://www.example.com/aftercare", ["spa", "medical"], ["es", "zh"],
                      at_home=True)
    assert url == "https://www.example.com/aftercare/es/medical#at-home"
    assert len(url) <= FITS_80X24_BYTES
    # At most version 4: 33 modules and the quiet zone, 41 cells wide.
    assert len(qr_text(url)[0]) <= 41
    assert len(qr_text("https://x.example/" + "a" * (FITS_80X24_BYTES - 18))[0]) == 41
    assert len(qr_text("https://x.example/" + "a" * (FITS_80X24_BYTES - 17))[0]) > 41


async def test_a_chinese_name_typed_on_a_keyboard_is_taken(multilingual: Settings) -> None:
    """An input method types characters; the name and its initial take them."""
    app = make_app(multilingual, clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "#language-zh")
        await answer_all(pilot, {**SPA_VISIT, "name": {"first": "李", "last_initial": "王"}})
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
        assert app.store.all()[0]["answers"]["name"] == {"first": "李", "last_initial": "王"}


def test_kiosk_config_shows_the_languages_as_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('languages = ["en", "es", "zh"]\n')
    assert main(["config", "--config", str(config)]) == 0
    assert f'languages = ["en", "es", "zh"]    ({config})' in capsys.readouterr().out


async def test_two_language_resets_at_once_never_overlap(multilingual: Settings) -> None:
    """Two resets of Welcome's language fired together (an idle wipe while a
    client taps a language) each recomposed at once: the second's removal
    left the first's `#start` missing, and the kiosk showed "something went
    wrong". They now take turns, and the last one asked wins."""
    app = make_app(multilingual, clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        welcome = app.screen
        for steps in range(30):  # The second starts at every point of the first.
            first = asyncio.create_task(welcome.speak(words("es")))
            for _ in range(steps):
                await asyncio.sleep(0)
            second = asyncio.create_task(welcome.speak(words("zh" if steps % 2 else "en")))
            failed = [r for r in await asyncio.gather(first, second, return_exceptions=True) if r]
            assert not failed, (steps, failed)
            await pilot.pause()
            label = str(welcome.query_one("#start", Button).label)
            assert label == ("首次就诊" if steps % 2 else "First visit"), (steps, label)
        assert app.screen is welcome


async def test_a_language_reset_under_way_as_the_kiosk_closes_ends_quietly(
        multilingual: Settings) -> None:
    """The crash behind the fresh-clone failure: a reset of Welcome's language
    (from the idle wipe) still recomposing when the app shut down found its
    children gone and no `#start` to focus, and raised NoMatches."""
    for steps in (0, 1, 5, 20):  # The close lands at several points of the reset.
        app = make_app(multilingual, clock=fake_clock())
        async with app.run_test(size=(80, 24)):
            reset = asyncio.create_task(app.screen.speak(words("es")))
            for _ in range(steps):
                await asyncio.sleep(0)
        failed = [r for r in await asyncio.gather(reset, return_exceptions=True) if r]
        assert not failed, (steps, failed)
