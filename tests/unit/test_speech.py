"""The voice itself: `kiosk doctor` on a machine without espeak-ng and with
it, and the Speaker driving a real process (a stand-in that keeps what it
was given): one voice at a time, Stop ending it, volume within its steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.speech import DEFAULT_VOLUME, VOLUMES, Speaker
from tests.support.wait import wait_until

SLOW_STAND_IN = """#!/bin/sh
[ "$1" = "--version" ] && exit 0
{ echo "ARGS: $*"; cat; echo; } >> "%s"
exec sleep 60
"""


def config(tmp_path: Path) -> list[str]:
    path = tmp_path / "kiosk.toml"
    path.write_text('read_aloud = true\nlanguages = ["en", "es", "zh"]\n')
    return ["--config", str(path), "--data-dir", str(tmp_path / "data")]


def test_doctor_says_why_there_is_no_read_aloud(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # No espeak-ng here.
    assert main(["doctor", *config(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert ("problem: read aloud is not shown: espeak-ng is not installed "
            "(Debian: apt-get install espeak-ng)") in out


@pytest.mark.needs("espeak-ng")
def test_doctor_hears_each_voice(tmp_path: Path, capsys) -> None:
    assert main(["doctor", *config(tmp_path)]) == 0
    assert "read aloud: espeak-ng speaks en (en-us), es (es), zh (cmn)" in capsys.readouterr().out


def stand_in(tmp_path: Path) -> tuple[Speaker, Path]:
    record = tmp_path / "said.txt"
    program = tmp_path / "espeak-ng"
    program.write_text(SLOW_STAND_IN % record)
    program.chmod(0o755)
    return Speaker(command=str(program)), record


def test_one_voice_at_a_time_and_stop_ends_it(tmp_path: Path) -> None:
    speaker, record = stand_in(tmp_path)
    speaker.say("Question 1.", "es")
    wait_until(lambda: "Question 1." in (record.read_text() if record.exists() else ""),
               "the first text")
    first = speaker._process
    assert speaker.speaking
    speaker.say("Question 2.", "zh")  # A new page: the last one stops first.
    assert first is not None and first.poll() is not None
    wait_until(lambda: "Question 2." in record.read_text(), "the second text")
    assert "ARGS: -v es -a 100 --stdin" in record.read_text()
    assert "ARGS: -v cmn -a 100 --stdin" in record.read_text()
    speaker.stop()
    assert not speaker.speaking


def test_volume_moves_in_steps_and_says_it_again(tmp_path: Path) -> None:
    speaker, record = stand_in(tmp_path)
    speaker.say("Pain.", "en")
    for _ in range(10):
        speaker.louder()
    assert speaker.volume == VOLUMES[-1]
    wait_until(lambda: record.exists() and f"-a {VOLUMES[-1]} " in record.read_text(),
               "said again, louder")
    for _ in range(10):
        speaker.softer()
    assert speaker.volume == VOLUMES[0]
    speaker.forget()
    assert speaker.last is None and speaker.volume == DEFAULT_VOLUME and not speaker.speaking
