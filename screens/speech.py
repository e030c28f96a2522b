"""Read aloud on the client screens.

With `read_aloud = true` (and espeak-ng working), every client page's
controls include "Read aloud". A tap reads the page in the visit's
language and puts the speech bar over the page's controls: Repeat, Stop,
Softer and Louder, each a 3-row touch target. Stop ends the speech and
gives the page its controls back; a new page, another screen or the end of
the visit stops it too.

What a page says is its own (`speech_parts`); whether a client's own answers
may be said is the clinic's `speech_private`. The engine's calls run on a
thread of their own, one after another in the order asked (a Stop asked
before a Read aloud is never carried out after it): never on the UI thread.
"""

from __future__ import annotations

import queue
import re
import shutil
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual import on
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button

from kiosk.i18n import Words

if TYPE_CHECKING:
    from kiosk.settings import Settings
    from kiosk.speech import Speaker

_R = TypeVar("_R")
_ENDS = re.compile(r"[.!?:;。！？：；…]$")


def utterance(parts: list[str]) -> str:
    """A page's parts as one text to say, each ending as a sentence does."""
    return "\n".join(part if _ENDS.search(part) else part + "." for part in parts)


class KioskSpeech(App[None]):
    """The kiosk app's voice (a part of `KioskApp`)."""

    settings: Settings
    language: str

    speaker: Speaker | None = None
    """None: no Read aloud (not asked for, or espeak-ng can't speak here)."""

    def setup_speech(self, speaker: Speaker | None) -> None:
        """`speaker`: the tests' stand-in. Otherwise espeak-ng where it is on
        PATH; whether it really runs is asked once the app is up, on the
        speech thread (not at start-up, on the UI thread)."""
        self._calls: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._speech_thread: threading.Thread | None = None
        self._to_check = False
        if speaker is not None or not self.settings.read_aloud:
            self.speaker = speaker
            return
        from kiosk.speech import COMMAND, Speaker

        if shutil.which(COMMAND) is not None:
            self.speaker, self._to_check = Speaker(), True

    def on_mount(self) -> None:
        if self._to_check:
            self.speech(self._check_engine)

    def _check_engine(self) -> None:
        from kiosk.speech import unavailable

        if unavailable() is not None:
            self.call_from_thread(self._without_speech)

    def _without_speech(self) -> None:
        """espeak-ng is there but does not run: no Read aloud anywhere."""
        self.speaker = None
        for screen in self.screen_stack:
            screen.query("#read-aloud, #speech-bar").remove()

    def speech(self, call: Callable[[], None]) -> None:
        """Hand one of the speaker's calls to the speech thread."""
        if self._speech_thread is None:
            self._speech_thread = threading.Thread(target=self._speak_in_turn, name="speech",
                                                   daemon=True)
            self._speech_thread.start()
        self._calls.put(call)

    def _speak_in_turn(self) -> None:
        while (call := self._calls.get()) is not None:
            try:
                call()
            except Exception:  # The voice is a help: it never takes the kiosk down.
                continue

    def on_unmount(self) -> None:
        self._calls.put(None)
        # espeak-ng runs in a session of its own: it would go on speaking
        # after the kiosk closes unless it is stopped here.
        if self.speaker is not None:
            self.speaker.forget()

    def forget_speech(self) -> None:
        """The visit is over: stop, and keep nothing of what was said."""
        if self.speaker is not None:
            self.speech(self.speaker.forget)


class SpeechBar(Horizontal):
    """Repeat, Stop, Softer, Louder: over the page's own controls while shown."""

    DEFAULT_CSS = """
    SpeechBar {
        dock: bottom;
        layer: speech;
        height: 3;
        width: 100%;
        align-horizontal: center;
        background: $surface;
        display: none;
    }
    SpeechBar.-shown {
        display: block;
    }
    SpeechBar Button {
        height: 3;
        width: 1fr;
        min-width: 10;
        max-width: 18;
        margin: 0 1;
    }
    """

    def __init__(self, words: Words) -> None:
        super().__init__(id="speech-bar")
        self.words = words

    def compose(self) -> ComposeResult:
        _ = self.words._
        yield Button(_("Repeat"), id="speech-repeat")
        yield Button(_("Stop"), id="speech-stop", variant="primary")
        yield Button(_("Softer"), id="speech-softer")
        yield Button(_("Louder"), id="speech-louder")


class Speaks(Screen[_R]):
    """A client screen that can read itself aloud (`_R`: what it is
    dismissed with, as for any screen)."""

    words: Words

    def speech_parts(self, private: bool) -> list[str]:
        """What this page says: its words, then its controls."""
        raise NotImplementedError

    @property
    def _voice(self) -> KioskSpeech | None:
        app = self.app
        return app if isinstance(app, KioskSpeech) and app.speaker is not None else None

    def read_aloud_button(self) -> ComposeResult:
        """The "Read aloud" control, among the page's controls (nothing where
        speech can't be offered)."""
        if self._voice is not None:
            self.add_class("-speaks")
            yield Button(self.words._("Read aloud"), id="read-aloud")

    def read_aloud_row(self) -> ComposeResult:
        """A row of controls holding Read aloud alone, for a page with none of its own."""
        if self._voice is not None:
            yield Horizontal(*self.read_aloud_button(), classes="nav")

    def speech_bar(self) -> ComposeResult:
        """The bar Read aloud opens, over the page's controls: a child of the screen."""
        if self._voice is not None:
            yield SpeechBar(self.words)

    def controls_said(self) -> list[str]:
        """The labels of the page's buttons as shown, but Read aloud's own."""
        return [str(button.label) for button in self.query(".nav Button").results(Button)
                if button.display and button.id != "read-aloud"]

    @on(Button.Pressed, "#read-aloud")
    def _read_aloud(self) -> None:
        voice = self._voice
        if voice is None or voice.speaker is None:
            return
        speaker = voice.speaker
        text = utterance(self.speech_parts(voice.settings.speech_private))
        language = self.words.language
        voice.speech(lambda: speaker.say(text, language))
        self.query_one(SpeechBar).add_class("-shown")
        self.query_one("#speech-stop", Button).focus()

    @on(Button.Pressed, "#speech-repeat")
    def _repeat(self) -> None:
        self._call(lambda speaker: speaker.repeat)

    @on(Button.Pressed, "#speech-softer")
    def _softer(self) -> None:
        self._call(lambda speaker: speaker.softer)

    @on(Button.Pressed, "#speech-louder")
    def _louder(self) -> None:
        self._call(lambda speaker: speaker.louder)

    @on(Button.Pressed, "#speech-stop")
    def _stop(self) -> None:
        self.stop_speech()

    def _call(self, pick: Callable[[Speaker], Callable[[], None]]) -> None:
        voice = self._voice
        if voice is not None and voice.speaker is not None:
            voice.speech(pick(voice.speaker))

    def stop_speech(self) -> None:
        """Stop reading and give the page its controls back (a new page, or
        Stop)."""
        self._call(lambda speaker: speaker.stop)
        for bar in self.query(SpeechBar):
            bar.remove_class("-shown")

    def on_screen_suspend(self) -> None:
        self.stop_speech()
