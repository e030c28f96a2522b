"""End to end, in tmux at 80x24, with `read_aloud = true`: a client back for
another session taps "Read aloud" on the pain question, and espeak-ng gets
that page's text in English, by its standard input. A stand-in espeak-ng on
PATH records what it was given. And one real espeak-ng run for each voice
writes a WAV that has sound in it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kiosk.speech import VOICES, SpeechError, voice_seconds
from tests.support.e2e import env_for, tap_keys
from tests.support.terminal import Terminal
from tests.support.wait import wait_until

pytestmark = [pytest.mark.e2e]

STAND_IN = """#!/bin/sh
# A stand-in for espeak-ng: says nothing, and keeps its arguments and input.
[ "$1" = "--version" ] && { echo "stand-in"; exit 0; }
{ echo "ARGS: $*"; cat; echo; echo "--"; } >> "%s"
"""


@pytest.mark.needs("tmux")
def test_read_aloud_on_the_pain_question_reaches_espeak_ng(tmp_path: Path) -> None:
    record = tmp_path / "said.txt"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in = bin_dir / "espeak-ng"
    stand_in.write_text(STAND_IN % record)
    stand_in.chmod(0o755)
    config = tmp_path / "kiosk.toml"
    config.write_text("read_aloud = true\n")
    terminal = Terminal(tmp_path / "tmux.sock")
    try:
        # tmux's shell sets its own PATH: the stand-in goes first on the kiosk's own.
        terminal.start(["env", f"PATH={bin_dir}:/usr/bin:/bin", sys.executable, "-m", "kiosk",
                        "run", "--config", str(config), "--data-dir", str(tmp_path / "data")],
                       env_for(tmp_path))
        terminal.wait_for("Read aloud")
        terminal.tap_until("Back for another session", lambda s: "Question 1 of 7" in s,
                           "the follow-up questions")
        terminal.tap("e.g. Maria")
        tap_keys(terminal, "zelda")
        terminal.tap("e.g. K")
        tap_keys(terminal, "q")
        terminal.tap_until("Next ▶", lambda s: "How much pain" in s, "the pain question")
        assert not record.exists()  # Nothing is said until asked.
        terminal.tap("Read aloud")
        wait_until(lambda: record.exists() and record.read_text().endswith("--\n"),
                   "espeak-ng to be handed the page", 20)
        screen = terminal.wait_for("Louder")  # The speech bar: Repeat, Stop, Softer, Louder.
        assert "Repeat" in screen and "Stop" in screen and "Softer" in screen
    finally:
        terminal.stop()
    said = record.read_text()
    assert "ARGS: -v en-us -a 100 --stdin" in said
    assert "How much pain are you in right now?" in said
    assert "Choices: 0 to 10." in said
    assert "Zelda" not in said  # The name typed is not said in a waiting room.


@pytest.mark.needs("espeak-ng")
@pytest.mark.parametrize("language", sorted(VOICES))
def test_espeak_ng_writes_a_wav_with_sound_in_each_voice(language: str) -> None:
    assert voice_seconds(language) > 0.2


@pytest.mark.needs("espeak-ng")
def test_a_voice_espeak_ng_lacks_is_said_to_fail() -> None:
    with pytest.raises(SpeechError, match="-v xx-nowhere"):
        voice_seconds("xx-nowhere")
