"""Domain: answers, rules, store and settings, without Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.checkin.record import clean_answers, describe, name_problems, new_record, problem
from kiosk.checkin.rules import flags, needs_front_desk, recommend
from kiosk.content.model import load_content
from kiosk.settings import SettingsError, load_settings
from tests.support.clock import FIXED_NOW
from tests.support.visit import MEDICAL_VISIT, SPA_VISIT

CONTENT = load_content()


@pytest.mark.parametrize(
    ("first", "initial", "expected"),
    [
        ("Ann", "b", (None, None)),
        ("Zoë-Marie O'Neil", "É", (None, None)),
        ("Jose\u0301", "z", (None, None)),  # a combining accent
        ("", "B", ("Please enter your first name.", None)),
        ("Ann", "", (None, "Please enter the first letter of your last name.")),
        ("Ann", "Bo", (None, "Just one letter, please.")),
        ("Ann2", "B", ("Please use letters only (spaces, hyphens and apostrophes are fine).", None)),
        ("[bold]x", "B", ("Please use letters only (spaces, hyphens and apostrophes are fine).", None)),
        ("Ann\x1b[2J", "B", ("Please use letters only (spaces, hyphens and apostrophes are fine).", None)),
        ("A" * 31, "B", ("Please keep it to 30 letters or fewer.", None)),
    ],
)
def test_name_checks(first: str, initial: str, expected: tuple) -> None:
    said = tuple(problem and problem.english() for problem in name_problems(first, initial))
    assert said == expected


def test_every_required_question_rejects_a_blank() -> None:
    for question in CONTENT.questions:
        blank = {"name": {"first": "", "last_initial": ""}, "multi": [], "consent": False}
        assert problem(question, blank.get(question.kind)) is not None, question.id


def test_consent_must_be_exactly_true() -> None:
    consent = CONTENT.question("consent")
    for not_consent in (None, False, "yes", 1, []):
        assert problem(consent, not_consent)
    assert problem(consent, True) is None


def test_scale_bounds() -> None:
    pain = CONTENT.question("pain")
    assert problem(pain, 0) is None and problem(pain, 10) is None
    assert problem(pain, 11) and problem(pain, -1) and problem(pain, True)


def test_describe_reads_back_plainly() -> None:
    assert describe(CONTENT.question("name"), {"first": " ann  marie ", "last_initial": "b"}).english() == "ann marie B."
    assert describe(CONTENT.question("pain"), 7).english() == "7 out of 10"
    assert describe(CONTENT.question("focus"), ["neck", "feet"]).english() == "Neck, Feet"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "spa"),
        ({"injury": "sports_injury"}, "medical"),
        ({"referral": "yes"}, "medical"),
        ({"reasons": ["relaxation", "circulation"]}, "medical"),
        ({"pain": 6}, "medical"),
        ({"pain": 5}, "spa"),
    ],
)
def test_recommendation(changes: dict, expected: str) -> None:
    answers = clean_answers(CONTENT.questions, {**SPA_VISIT, **changes})
    found = recommend(CONTENT.rules, answers)
    assert found.type == expected
    assert found.name == CONTENT.rules.types[expected]
    assert "walkthrough" in found.why


def test_flags_follow_the_health_screen() -> None:
    answers = clean_answers(CONTENT.questions, MEDICAL_VISIT)
    found = flags(CONTENT.rules, answers)
    assert [flag.id for flag in found] == ["blood_thinners", "accident_claim"]
    assert needs_front_desk(found)
    desk_only = clean_answers(CONTENT.questions, {**SPA_VISIT, "injury": "work_injury"})
    found = flags(CONTENT.rules, desk_only)
    assert [flag.kind for flag in found] == ["desk"] and not needs_front_desk(found)
    every = {**SPA_VISIT, "health": [o.id for o in CONTENT.question("health").options if o.id != "none"]}
    assert len(flags(CONTENT.rules, clean_answers(CONTENT.questions, every))) == 7


def test_record_shape() -> None:
    answers = clean_answers(CONTENT.questions, SPA_VISIT)
    record = new_record(answers, recommend(CONTENT.rules, answers), (), now=FIXED_NOW)
    assert set(record) == {"id", "created_at", "answers", "recommendation", "flags", "status",
                           "visit"}
    assert record["visit"] == "first"
    assert record["created_at"] == "2026-11-27T14:30:00+00:00"
    assert record["status"] == "waiting"
    assert len(record["id"]) == 36


def test_settings_sources(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('clinic_name = "Harbour Clinic"\nresult_seconds = 30\n')
    settings = load_settings(config=config, environ={"KIOSK_DATA_DIR": str(tmp_path / "d")})
    assert settings.clinic_name == "Harbour Clinic"
    assert settings.result_seconds == 30
    assert settings.data_dir == tmp_path / "d"
    assert settings.sources["clinic_name"] == str(config)
    assert settings.sources["data_dir"] == "KIOSK_DATA_DIR"
    assert settings.sources["aftercare_url"] == "default"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('clinic_nmae = "x"', "unknown setting 'clinic_nmae'"),
        ('result_seconds = "90"', "'result_seconds' must be a whole number"),
        ('aftercare_url = "ftp://x"', "'aftercare_url' must start with https://"),
        ("result_seconds = 1", "between 5 and 3600"),
        ("clinic_name = ", "is not valid TOML"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path: Path, text: str, words: str) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(text)
    with pytest.raises(SettingsError) as caught:
        load_settings(config=config, environ={})
    assert str(caught.value).startswith(str(config)) and words in str(caught.value)


def test_bad_config_exits_2_without_traceback(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("idle = 3\n")
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(config), "run"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 2
    assert done.stderr == f"kiosk: {config}: unknown setting 'idle'\n"


def test_help_on_every_subcommand() -> None:
    for command in ([], ["run"], ["demo"], ["check-content"], ["config"]):
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", *command, "--help"],
            capture_output=True, text=True, check=True,
        )
        assert done.stdout.startswith("usage: kiosk")


def test_config_command_prints_sources(capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    assert main(["--data-dir", "/srv/kiosk", "config"]) == 0
    out = capsys.readouterr().out
    assert "data_dir = /srv/kiosk    (command line)" in out
    assert "clinic_name = Riverside Massage Clinic    (default)" in out
