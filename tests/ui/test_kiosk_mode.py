"""Kiosk behaviour: locked down, wiped when left, typed by touch, any size,
every theme. Through Pilot; the raw-terminal versions are in test_e2e.py."""

from __future__ import annotations

import gc
from dataclasses import replace

import pytest
from textual.color import Color
from textual.geometry import Region
from textual.widgets import Button, Input

from kiosk.settings import Settings, SettingsError, load_settings
from kiosk.store.dayfiles.store import CheckInStore
from screens.app import KioskApp, make_app
from screens.questionnaire import QuestionnaireScreen
from screens.widgets import QRCode
from tests.support.clock import fake_clock
from tests.support.qrimage import decode, strips_to_image
from tests.support.visit import SPA_VISIT, answer_all, tap, type_text, wait_for, wait_for_screen

LOCKED_KEYS = ["ctrl+q", "ctrl+c", "ctrl+p", "ctrl+z", "ctrl+backslash", "escape",
               *(f"f{n}" for n in range(1, 13)), "ctrl+x", "ctrl+v", "ctrl+shift+a"]

SECRET_PARTS = ("Zy", "xwq")  # Joined only where needed, so no constant holds it.


def kiosk(settings: Settings, **changes: object) -> KioskApp:
    return make_app(replace(settings, **changes), clock=fake_clock())


# -- Lock-down ----------------------------------------------------------------------


@pytest.mark.parametrize("where", ["welcome", "name"])
async def test_no_key_leaves_or_breaks_the_kiosk(settings: Settings, where: str) -> None:
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        if where == "name":
            await answer_all(pilot, SPA_VISIT, stop_at="name")
            await type_text(pilot, "".join(SECRET_PARTS))
        screen = app.screen
        for key in LOCKED_KEYS:
            await pilot.press(key)
            await pilot.pause()
            assert app.is_running and app.return_code is None, key
            assert app.screen is screen, key
        if where == "name":
            assert app.screen.query_one("#first-name", Input).value == "".join(SECRET_PARTS)
        # Nothing reached the clipboard for the next client to paste.
        assert app.clipboard == ""


async def test_the_demo_quits_on_ctrl_q_and_says_so(settings: Settings) -> None:
    app = kiosk(settings, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "ctrl+q quits" in str(app.screen.query_one("#demo-mark").render())
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.return_code is not None, "the demo to quit")


async def test_copy_and_paste_do_nothing_in_a_name_field(settings: Settings) -> None:
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, SPA_VISIT, stop_at="name")
        await type_text(pilot, "".join(SECRET_PARTS))
        field = app.screen.query_one("#first-name", Input)
        field.action_select_all()
        await pilot.press("ctrl+c", "ctrl+x", "end", "ctrl+v")
        assert field.value == "".join(SECRET_PARTS) and app.clipboard == ""


# -- Idle reset ------------------------------------------------------------------------


def objects_holding(text: str) -> list[object]:
    """Every live container that holds `text` (a value nobody else would)."""
    gc.collect()
    found = []
    for thing in gc.get_objects():
        try:
            values = thing.values() if isinstance(thing, dict) else thing
            # Strings only: an object equal to everything (unittest.mock.ANY,
            # in a module's namespace) holds no name.
            if isinstance(thing, dict | list | tuple) and any(
                    type(value) is str and value == text for value in values):
                found.append(thing)
        except Exception:  # Odd objects compare oddly; they hold no names.
            continue
    return found


async def test_left_mid_visit_it_asks_then_forgets_everything(settings: Settings) -> None:
    app = kiosk(settings)  # Asks after 60 s without a tap, wipes 20 s later.
    async with app.run_test(size=(80, 24)) as pilot:
        visit = {**SPA_VISIT, "name": {"first": "".join(SECRET_PARTS), "last_initial": "Q"}}
        await answer_all(pilot, visit, stop_at="focus")
        del visit
        app.clock.advance(59)
        await app.reset_if_idle()
        assert app.screen.id == "questionnaire", "asked before the idle time was up"
        app.clock.advance(2)
        await wait_for_screen(pilot, "still-there")
        await wait_for(pilot, lambda: "Starting over in 20 seconds" in str(
            app.screen.countdown.render()), "the countdown")
        app.clock.advance(19)
        await wait_for(pilot, lambda: "Starting over in 1 second." in str(
            app.screen.countdown.render()), "the countdown's last second")
        assert app.screen.id == "still-there"
        app.clock.advance(1)
        await wait_for_screen(pilot, "welcome")
        assert [screen.id for screen in app.screen_stack] == ["welcome"]
        await pilot.pause()
        # Textual may keep a reference to a closed screen for a while (a
        # context variable of its compositor): whatever is left holds nothing.
        gc.collect()
        for left in [obj for obj in gc.get_objects() if isinstance(obj, QuestionnaireScreen)]:
            assert all(answer in ("", [], None, False, {"first": "", "last_initial": ""})
                       for answer in left.answers.values())
            assert not left.query("*") or not left.query(Input)
        held = objects_holding("".join(SECRET_PARTS))
        assert held == [], [repr(thing)[:200] for thing in held]
        # The next client starts from nothing: empty fields, nothing behind Back.
        await answer_all(pilot, SPA_VISIT, stop_at="name")
        assert app.screen.query_one("#first-name", Input).value == ""
        await tap(pilot, "#back")
        await wait_for_screen(pilot, "walkthrough")
        await tap(pilot, "#back")
        await wait_for_screen(pilot, "welcome")
    assert CheckInStore(settings.data_dir).all() == []


async def test_im_still_here_keeps_the_answers(settings: Settings) -> None:
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, SPA_VISIT, stop_at="injury")
        app.clock.advance(61)
        await wait_for_screen(pilot, "still-there")
        await wait_for(pilot, lambda: bool(app.screen.query("#still-here")), "the button")
        await pilot.click("#still-here")  # (the touch itself already counts as an answer)
        await wait_for_screen(pilot, "questionnaire")
        assert app.screen.answers["reasons"] == SPA_VISIT["reasons"]


async def test_tapping_and_typing_hold_the_reset_off(settings: Settings) -> None:
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, SPA_VISIT, stop_at="name")
        # Twelve minutes of slow typing and tapping, never a minute apart.
        for step in range(12):
            app.clock.advance(59)
            await app.reset_if_idle()  # 59 s since the last tap: nothing yet.
            if step % 2:
                await pilot.press("a")
            else:
                await pilot.click("#first-name")
            await app.reset_if_idle()
            await pilot.pause()
            assert app.screen.id == "questionnaire", step
        assert app.screen.query_one("#first-name", Input).value == "aaaaaa"
        app.clock.advance(61)  # Now a whole minute without a tap.
        await wait_for_screen(pilot, "still-there")


async def test_the_result_screen_returns_to_welcome_by_itself(settings: Settings) -> None:
    app = kiosk(settings)  # The result stays 90 s.
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, SPA_VISIT)
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
        app.clock.advance(89)
        app.screen.tick()
        await pilot.pause()
        assert app.screen.id == "result", "gone before its time"
        app.clock.advance(1)
        await wait_for_screen(pilot, "welcome")
        assert [screen.id for screen in app.screen_stack] == ["welcome"]


# -- On-screen keyboard -------------------------------------------------------------------


async def tap_keys(pilot, *keys: str) -> None:
    names = {"space": "space", "⌫": "backspace", "àé…": "accents", "abc": "letters"}
    for key in keys:
        name = names[key] if key in names else f"u{ord(key):04x}"
        await pilot.click(f"#key-{name}")


async def test_the_name_typed_on_the_on_screen_keyboard(settings: Settings) -> None:
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, SPA_VISIT, stop_at="name")
        assert app.screen.query_one("#keyboard").display
        first = app.screen.query_one("#first-name", Input)
        await tap_keys(pilot, "z", "o", "àé…", "ë", "-", "a", "n", "n", "x", "⌫")
        assert first.value == "Zoë-Ann"  # Capitals by themselves; double letters kept.
        await tap_keys(pilot, "space", "m")
        assert first.value == "Zoë-Ann M"
        await tap_keys(pilot, "⌫", "⌫")
        await pilot.click("#last-initial")
        await tap_keys(pilot, "k")
        assert app.screen.query_one("#last-initial", Input).value == "K"
        assert app.focused is app.screen.query_one("#last-initial")
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: bool(app.screen.query("#question-reasons")), "reasons")
        assert not app.screen.query_one("#keyboard").display
        visit = dict(SPA_VISIT)
        visit.pop("name")
        from tests.support.visit import answer_by_taps

        for question_id, answer in visit.items():
            await wait_for(pilot, lambda q=question_id: bool(app.screen.query(f"#question-{q}")),
                           question_id)
            await answer_by_taps(pilot, question_id, answer)
        await wait_for(pilot, lambda: bool(app.screen.query("#review")), "review")
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
    [record] = CheckInStore(settings.data_dir).all()
    assert record["answers"]["name"] == {"first": "Zoë-Ann", "last_initial": "K"}


async def test_the_keyboard_is_a_setting(settings: Settings) -> None:
    for changes, shown in (({"demo": True}, False), ({}, True),
                           ({"demo": True, "touch_keyboard": True}, True),
                           ({"touch_keyboard": False}, False)):
        app = kiosk(settings, **changes)
        async with app.run_test(size=(80, 24)) as pilot:
            await answer_all(pilot, SPA_VISIT, stop_at="name")
            assert bool(app.screen.query("#keyboard")) == shown, changes


# -- Touch targets and sizes ------------------------------------------------------------------


TAPPABLE = "Button, Choice, ReviewItem, Key, Input"


def small_targets(app) -> list[str]:
    return [
        f"{widget!r} {widget.region.width}x{widget.region.height}"
        for widget in app.screen.query(TAPPABLE)
        if widget.display and widget.region.area
        and (widget.region.height < 3 or widget.region.width < 10)
    ]


@pytest.mark.parametrize("text_size", ["normal", "large"])
async def test_every_control_is_at_least_3_rows_by_10_columns(
    settings: Settings, text_size: str
) -> None:
    app = kiosk(settings, text_size=text_size)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = []
        await wait_for_screen(pilot, "welcome")
        assert small_targets(app) == []
        await tap(pilot, "#start")
        await wait_for_screen(pilot, "walkthrough")
        assert small_targets(app) == []
        await tap(pilot, "#skip")
        for question_id in SPA_VISIT:
            await wait_for(pilot, lambda q=question_id: bool(app.screen.query(f"#question-{q}")),
                           question_id)
            await pilot.pause()
            assert small_targets(app) == [], question_id
            seen.append(question_id)
            app.screen.answers[question_id] = SPA_VISIT[question_id]
            app.screen.index += 1
        await wait_for(pilot, lambda: bool(app.screen.query("#review")), "review")
        await pilot.pause()
        assert small_targets(app) == []
        assert len(seen) == 11


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (240, 70)])
async def test_the_visit_works_at_every_size_and_the_code_is_whole(
    settings: Settings, size: tuple[int, int]
) -> None:
    app = kiosk(settings)
    async with app.run_test(size=size) as pilot:
        await answer_all(pilot, SPA_VISIT)
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
        await pilot.pause()
        qr = app.screen.query_one(QRCode)
        assert qr.display and app.screen.region.contains_region(qr.region)
        strips = qr.render_lines(Region(0, 0, *qr.region.size))
        assert decode(strips_to_image(strips)) == f"{settings.aftercare_url}/spa"


async def test_too_small_for_the_code_says_so_and_gives_the_address(settings: Settings) -> None:
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, SPA_VISIT)
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
        await pilot.resize_terminal(64, 20)
        await wait_for(pilot, lambda: not app.screen.query_one(QRCode).display, "no code")
        assert app.screen.query_one("#qr-too-small").display
        assert app.screen.query_one("#aftercare-url").display
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: app.screen.query_one(QRCode).display, "the code again")
        assert not app.screen.query_one("#qr-too-small").display


async def test_scrolling_text_has_controls_to_tap(settings: Settings) -> None:
    app = kiosk(settings, text_size="large")
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, SPA_VISIT, stop_at="health")
        page = app.screen.query_one("#page")
        await wait_for(pilot, lambda: page.max_scroll_y > 0, "more than fits")
        controls = app.screen.query_one(".scroll-controls")
        await wait_for(pilot, lambda: controls.display, "the ▲/▼ controls")
        up, down = (app.screen.query_one(f".scroll-{way}", Button) for way in ("up", "down"))
        assert up.has_class("-at-end") and not down.has_class("-at-end")
        await tap(pilot, ".scroll-down")
        await wait_for(pilot, lambda: page.scroll_y > 0, "scrolled down")
        assert not up.has_class("-at-end")
        while page.scroll_y < page.max_scroll_y:
            await tap(pilot, ".scroll-down")
        await wait_for(pilot, lambda: down.has_class("-at-end"), "▼ quiet at the end")
        await tap(pilot, "#choice-health-none")  # Reached without a scroll gesture.
        assert app.screen.query_one("#choices-health").picked == ["none"]


# -- Themes, large text, NO_COLOR ------------------------------------------------------------------


def qr_pixels_decode(app) -> str | None:
    """Decode the result's code as drawn, after the app's own output filters
    (NO_COLOR's monochrome among them)."""
    qr = app.screen.query_one(QRCode)
    strips = qr.render_lines(Region(0, 0, *qr.region.size))
    for line_filter in app._filters:
        strips = [strip.apply_filter(line_filter, Color(0, 0, 0)) for strip in strips]
    return decode(strips_to_image(strips))


@pytest.mark.parametrize("theme", ["dark", "light", "high-contrast"])
@pytest.mark.parametrize("no_color", [False, True])
async def test_the_code_stays_dark_on_light_in_every_theme_and_with_no_color(
    settings: Settings, theme: str, no_color: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = kiosk(settings, theme=theme)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == {"dark": "kiosk-dark", "light": "kiosk-light",
                             "high-contrast": "kiosk-high-contrast"}[theme]
        assert app.no_color == no_color
        await answer_all(pilot, SPA_VISIT)
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
        await pilot.pause()
        assert qr_pixels_decode(app) == f"{settings.aftercare_url}/spa"


@pytest.mark.parametrize("theme", ["dark", "light", "high-contrast"])
@pytest.mark.parametrize("which", ["kiosk", "desk"])
async def test_the_settings_theme_is_there_from_the_start_and_the_stylesheet_built_once(
    settings: Settings, theme: str, which: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: each app set its theme after Textual's App.__init__ (the desk
    on mount), and the theme's watcher refreshed the whole stylesheet before
    the first screen: kiosk.tcss and Textual's own CSS parsed twice, about
    4 ms of every start (bench/startup.py)."""
    from textual.app import App

    from tests.support.staff import staff_app

    refreshed: list[App[None]] = []
    refresh_css = App.refresh_css

    def counted(app: App[None], animate: bool = True) -> None:
        refreshed.append(app)
        refresh_css(app, animate)

    monkeypatch.setattr(App, "refresh_css", counted)
    chosen = replace(settings, theme=theme)
    app = kiosk(chosen) if which == "kiosk" else staff_app(chosen)
    name = {"dark": "kiosk-dark", "light": "kiosk-light",
            "high-contrast": "kiosk-high-contrast"}[theme]
    assert app.theme == name
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.current_theme.name == name
        assert refreshed == []
        app.theme = "kiosk-light" if theme != "light" else "kiosk-dark"
        await pilot.pause()
        assert refreshed == [app], "a theme set later still restyles the app"


async def test_a_new_page_does_not_restyle_the_hidden_keyboard(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: leaving the name page set "-typing" on the whole screen, and
    Textual styled every widget under it again, the on-screen keyboard's
    keys among them (about 6% of the soak's CPU, bench/soak.py). The class
    is on the page now, set before its view is in it."""
    from textual.css.stylesheet import Stylesheet

    from screens.widgets.keyboard import Key
    from tests.support.visit import MEDICAL_VISIT, jump_to

    app = kiosk(settings, touch_keyboard=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await jump_to(pilot, MEDICAL_VISIT, stop_at="name")
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen)
        screen.answers["name"] = MEDICAL_VISIT["name"]
        await screen._show(0)  # Drawn again with the name in its fields.
        await pilot.pause()
        assert screen.query_one("#keyboard").display
        styled: list[object] = []
        apply = Stylesheet.apply

        def counted(stylesheet: Stylesheet, node: object, *args: object, **kw: object) -> None:
            styled.append(node)
            apply(stylesheet, node, *args, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(Stylesheet, "apply", counted)
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: bool(screen.query("#question-reasons")), "question 2")
        await pilot.pause()
        assert not screen.query_one("#keyboard").display
        keys = [node for node in styled if isinstance(node, Key)]
        assert not keys, f"{len(keys)} keys of the hidden keyboard styled again"


def test_the_new_settings_are_checked(tmp_path, capsys) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('idle_seconds = 45\nidle_warning_seconds = 10\ntheme = "high-contrast"\n'
                      'text_size = "large"\ntouch_keyboard = false\nlanguage = "en"\n')
    settings = load_settings(config=config, environ={})
    assert (settings.idle_seconds, settings.idle_warning_seconds, settings.theme,
            settings.text_size, settings.touch_keyboard) == (45, 10, "high-contrast", "large",
                                                             False)
    from kiosk.cli import main

    assert main(["config", "--config", str(config)]) == 0
    shown = capsys.readouterr().out
    assert f"theme = high-contrast    ({config})" in shown
    assert f"touch_keyboard = False    ({config})" in shown
    assert "retention_days = off (keep every check-in)    (default)" in shown
    for bad, key in (('theme = "pink"', "theme"), ("touch_keyboard = 1", "touch_keyboard"),
                     ("idle_seconds = 2", "idle_seconds"), ('text_size = "huge"', "text_size"),
                     ('language = "../x"', "language"), ('idle_seconds = "60"', "idle_seconds")):
        config.write_text(bad + "\n")
        with pytest.raises(SettingsError, match=f"'{key}'") as caught:
            load_settings(config=config, environ={})
        assert str(config) in str(caught.value)


def test_a_language_without_content_stops_with_a_clear_message(tmp_path, capsys) -> None:
    from kiosk.cli import main

    config = tmp_path / "kiosk.toml"
    config.write_text('language = "fr"\n')
    assert main(["check-content", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "content/fr" in err.replace("\\", "/") or "/fr" in err
