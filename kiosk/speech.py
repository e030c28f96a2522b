"""Read aloud: what each client page says, and espeak-ng saying it.

A waiting room is public. Unless the clinic sets `speech_private = true`
(headphones on the kiosk), speech reads the prompts and the choices offered,
never what the client typed or picked: not their name, not a health answer,
not the recommendation those answers led to.

espeak-ng runs as a process of its own, given the text on its standard
input (never in its arguments, which any user of the machine can list).
Starting, stopping and replacing it take a lock and are meant for a worker
thread, never the UI thread.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
import wave
from collections.abc import Iterable, Sequence
from typing import Any

from kiosk.checkin.record import describe
from kiosk.content.kinds import Question
from kiosk.i18n import Words

COMMAND = "espeak-ng"
DEBIAN_PACKAGE = "espeak-ng"
VOICES = {"en": "en-us", "es": "es", "zh": "cmn"}
"""espeak-ng's voice for each language the kiosk ships: American English,
Castilian Spanish, Mandarin Chinese."""
VOLUMES = (25, 50, 75, 100, 125, 150, 175, 200)
"""espeak-ng's amplitude (`-a`) steps, softer to louder; 100 is its default."""
DEFAULT_VOLUME = 100
_SYMBOLS = str.maketrans({"◀": " ", "▶": " ", "✓": " ", "✎": " ", "▲": " ", "▼": " "})


def spoken(text: str) -> str:
    """Text as a voice should read it: the arrows and marks drawn for the
    eye left out, one space between words."""
    return " ".join(text.translate(_SYMBOLS).split())


def unavailable(command: str = COMMAND) -> str | None:
    """Why speech can't be offered on this machine, or None when it can."""
    path = shutil.which(command)
    if path is None:
        return f"{command} is not installed (Debian: apt-get install {DEBIAN_PACKAGE})"
    try:
        subprocess.run([path, "--version"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=10, check=True)
    except (OSError, subprocess.SubprocessError) as error:
        return f"{command} does not run ({type(error).__name__})"
    return None


SAMPLE = {"en": "Welcome.", "es": "Bienvenido.", "zh": "欢迎光临。"}
"""What `voice_seconds` has each voice say."""


class SpeechError(Exception):
    """espeak-ng could not speak: the message says why, never what was said."""


def voice_seconds(language: str, command: str = COMMAND) -> float:
    """Have espeak-ng say a short sample in `language`'s voice into a WAV
    file, and return how long it is: a voice whose data is missing says
    nothing, or fails."""
    voice = VOICES.get(language, language)
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/sample.wav"
        try:
            subprocess.run([command, "-v", voice, "-w", path, "--stdin"],
                           input=SAMPLE.get(language, "Welcome.").encode("utf-8"),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=30, check=True)
            with wave.open(path, "rb") as sound:
                seconds = sound.getnframes() / sound.getframerate()
        except subprocess.CalledProcessError as error:
            raise SpeechError(f"{command} -v {voice} failed (exit {error.returncode})") from None
        except (OSError, subprocess.SubprocessError, wave.Error, EOFError) as error:
            raise SpeechError(f"{command} -v {voice} gave no sound "
                              f"({type(error).__name__})") from None
    if seconds <= 0:
        raise SpeechError(f"{command} -v {voice} said nothing")
    return seconds


def speech_health(languages: Iterable[str], command: str = COMMAND) -> list[str]:
    """For `kiosk doctor`: why Read aloud is not shown, or which voice fails."""
    reason = unavailable(command)
    if reason is not None:
        return [f"read aloud is not shown: {reason}"]
    problems = []
    for language in languages:
        try:
            voice_seconds(language, command)
        except SpeechError as error:
            problems.append(f"read aloud in '{language}': {error}")
    return problems


class Speaker:
    """One voice at a time: a new text stops the last one."""

    def __init__(self, command: str = COMMAND) -> None:
        self.command = command
        self.volume = DEFAULT_VOLUME
        self.last: tuple[str, str] | None = None
        """The last text asked for and its language, for Repeat."""
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def say(self, text: str, language: str) -> None:
        """Stop what is being said, then say `text` in `language`'s voice."""
        with self._lock:
            self._stop()
            self.last = (text, language)
            voice = VOICES.get(language, language)
            try:
                self._process = subprocess.Popen(
                    [self.command, "-v", voice, "-a", str(self.volume), "--stdin"],
                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL, start_new_session=True)
                assert self._process.stdin is not None
                self._process.stdin.write(text.encode("utf-8"))
                self._process.stdin.close()
            except OSError:
                self._process = None  # Gone since the start: the page stays quiet.

    def repeat(self) -> None:
        """Say the last text again, from the start, at the volume now set."""
        if self.last is not None:
            self.say(*self.last)

    def louder(self) -> None:
        self._step(1)

    def softer(self) -> None:
        self._step(-1)

    def _step(self, by: int) -> None:
        """One volume step, then what was being said again at that volume."""
        index = VOLUMES.index(self.volume)
        self.volume = VOLUMES[max(0, min(len(VOLUMES) - 1, index + by))]
        if self.speaking:
            self.repeat()

    @property
    def speaking(self) -> bool:
        process = self._process
        return process is not None and process.poll() is None

    def stop(self) -> None:
        with self._lock:
            self._stop()

    def forget(self) -> None:
        """Stop, and keep nothing of what was said (the visit is over)."""
        with self._lock:
            self._stop()
            self.last = None
            self.volume = DEFAULT_VOLUME

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# -- What a page says -----------------------------------------------------------------


def controls(words: Words, labels: Iterable[str]) -> str:
    """The page's buttons, named last."""
    named = [spoken(label) for label in labels if spoken(label)]
    return words._("Buttons: {names}.", names=", ".join(named)) if named else ""


def question_speech(question: Question, answer: Any, words: Words, *, private: bool,
                    documents: bool = True) -> list[str]:
    """A question page: its prompt and help, what can be answered (every
    option, marked chosen or not only when private), and the consent's
    documents in full."""
    _ = words._
    said = [question.prompt, question.help]
    if question.kind == "name":
        said += [_("First name"), _("Last initial")]
        if private and isinstance(answer, dict) and answer.get("first"):
            typed = f"{answer.get('first', '')} {answer.get('last_initial', '')}".strip()
            said.append(_("Typed: {text}.", text=typed))
    elif question.kind == "scale":
        said += [question.low, question.high,
                 _("Choices: {low} to {high}.", low=question.minimum, high=question.maximum)]
        if private and isinstance(answer, int):
            said.append(_("Chosen: {value}.", value=answer))
    elif question.kind == "consent":
        if documents:
            for document in question.documents:
                said += [document.title, document.body]
        said.append(_marked(question.agree, answer is True, words, private))
    else:
        chosen = answer if isinstance(answer, list) else [answer]
        said += [_marked(option.label, option.id in chosen, words, private)
                 for option in question.options]
    return [spoken(part) for part in said if part and spoken(part)]


def _marked(label: str, chosen: bool, words: Words, private: bool) -> str:
    if not private:
        return label
    return words._("{label}: chosen", label=label) if chosen else words._(
        "{label}: not chosen", label=label)


def review_speech(questions: Sequence[Question], answers: dict[str, Any], words: Words,
                  *, private: bool) -> list[str]:
    """The review page: each question by its short name; its answer, as the
    page shows it, only when private."""
    _ = words._
    said = [_("Please check your answers"),
            _("Tap an answer to change it, then tap \"Check me in\".")]
    for question in questions:
        name = question.short or question.prompt
        said.append(f"{name}: {words.say(describe(question, answers.get(question.id)))}"
                    if private else name)
    return [spoken(part) for part in said if spoken(part)]
