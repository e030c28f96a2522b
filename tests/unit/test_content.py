"""The content folder: the shipped one loads; each kind of breakage is named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content.model import ContentError, default_content_dir, load_content
from tests.support.pty_run import run_in_pty


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the shipped content to break."""
    folder = tmp_path / "content"
    shutil.copytree(default_content_dir(), folder)
    return folder


def test_shipped_content_loads() -> None:
    content = load_content()
    assert len(content.walkthrough.pages) == 6
    kinds = {question.kind for question in content.questions}
    assert kinds == {"name", "single", "multi", "scale", "consent"}
    assert set(content.rules.types) == {"spa", "medical"}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# (file, change made, words the message must hold)
BREAKAGES = {
    "missing file": ("rules.toml", None, "the file is missing"),
    "bad TOML": ("walkthrough.toml", ('massage?"\n', 'massage?\n'), "is not valid TOML (Illegal character"),
    "not UTF-8": ("questionnaire.toml", b"\xff\xfe bad", "is not UTF-8 text"),
    "missing key": ("walkthrough.toml", ('title = "How your', 'heading = "How your'), "page 1: 'title' is missing"),
    "unknown key": ("questionnaire.toml", ('short = "Pressure"', 'short = "Pressure"\nshrot = "x"'), "unknown key 'shrot'"),
    "wrong type": ("questionnaire.toml", ("min = 0", 'min = "zero"'), "'min' must be a whole number, not 'zero'"),
    "empty text": ("walkthrough.toml", ('spa = """\\\nMeets a general need, such as feeling relaxed."""', 'spa = "  "'), "page 2: 'spa' is empty"),
    "unknown kind": ("questionnaire.toml", ('kind = "scale"', 'kind = "slider"'), "'kind' must be one of"),
    "duplicate option": ("questionnaire.toml", ('{ id = "stress", label', '{ id = "relaxation", label'), "option id 'relaxation' is used twice"),
    "duplicate question": ("questionnaire.toml", ('id = "avoid"', 'id = "focus"'), "question id 'focus' is used twice"),
    "rule names no question": ("rules.toml", ('question = "referral"', 'question = "referal"'), "'question' names no question 'referal'"),
    "rule names no option": ("rules.toml", ('any_of = ["pregnancy"]', 'any_of = ["pregnant"]'), "'any_of' names no option 'pregnant' of 'health'"),
    "rule names no type": ("rules.toml", ('type = "medical"', 'type = "clinical"'), "'clinical' is not one of the [types]"),
    "scale out of range": ("rules.toml", ("at_least = 6", "at_least = 11"), "'at_least' must be between 0 and 10"),
    "no consent question": ("questionnaire.toml", lambda text: text[: text.index('[[question]]\nid = "consent"')], "needs a question of kind 'consent'"),
    "no pages": ("walkthrough.toml", ("[[page]]", "[[pages]]"), "'page' is missing"),
}


@pytest.mark.parametrize("kind", BREAKAGES)
def test_each_kind_of_broken_file_is_named(content: Path, kind: str) -> None:
    name, change, words = BREAKAGES[kind]
    path = content / name
    if change is None:
        path.unlink()
    elif isinstance(change, bytes):
        path.write_bytes(change)
    elif callable(change):
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        edit(path, *change)
    with pytest.raises(ContentError) as caught:
        load_content(content)
    assert caught.value.path == path
    assert words in str(caught.value)


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="is not a folder"):
        load_content(tmp_path / "nowhere")


def test_check_content_ok_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-content"]) == 0
    out = capsys.readouterr().out
    assert "OK: 6 walkthrough pages, 11 questions" in out
    assert "Follow-up visit: 7 questions, 0 recommendation rules, 8 flags." in out


@pytest.mark.parametrize(("change", "says"), [
    (('[[question]]\nid = "since_last"', '[[question]]\nid = "since last"'),
     "followup.toml: question 3: 'id'"),
    (('question = "since_last"', 'question = "sinse_last"'),
     "followup.toml: flag 1: 'question' names no question 'sinse_last'"),
    (('default = "medical"', 'default = "deep"'),
     "followup.toml: [recommend]: 'deep' is not one of the [types] in rules.toml"),
])
def test_a_broken_followup_is_one_line_naming_the_place(
    content: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str], says: str,
) -> None:
    edit(content / "followup.toml", *change)
    assert main(["check-content", str(content)]) == 2
    err = capsys.readouterr().err
    assert says in err, err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_without_a_followup_file_check_content_says_so(
    content: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    (content / "followup.toml").unlink()
    assert main(["check-content", str(content)]) == 0
    assert "No followup.toml: Welcome offers the first visit only." in capsys.readouterr().out


def test_check_content_and_run_say_the_same_and_exit_2(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(content / "rules.toml", 'kind = "desk"', 'kind = "front"')
    assert main(["check-content", str(content)]) == 2
    checked = capsys.readouterr()
    assert checked.err.startswith(f"kiosk: {content / 'rules.toml'}: flag 8: 'kind' must be")
    # `kiosk run` reads the content once Welcome is up, then closes with the
    # same one line, after giving the terminal back.
    code, screen = run_in_pty(["--content", str(content), "run"], {"KIOSK_DATA_DIR": str(
        content.parent / "data")})
    assert code == 2
    assert screen.replace("\r\n", "\n").endswith(checked.err), screen[-400:]
    assert "Traceback" not in checked.err + screen
