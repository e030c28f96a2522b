"""The command line builds only the parser of the command it names (its
start-up is measured), and that must read every command line exactly as the
whole parser does: the same flags, the same errors, the same help."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from typing import Any

import pytest

from kiosk.cli.parser import COMMANDS, _named_command, _parser, parse_args

LINES = [
    [],
    ["run"],
    ["demo"],
    ["--config", "k.toml", "run"],
    ["--config=k.toml", "--data-dir", "d", "staff"],
    ["--content", "c", "check-content", "folder"],
    ["export", "--format", "fhir", "--since", "2026-11-01", "--series", "s1"],
    ["erase", "abc", "--yes"],
    ["purge", "--older-than", "30"],
    ["serve", "--port", "8080", "--max-sessions", "3"],
    ["db", "status"],
    ["consent", "show", "abc"],
    ["schedule", "import", "day.ics"],
    ["aftercare", "serve", "--port", "9000"],
    ["report", "--series", "s1", "--force"],
    # Not told apart without argparse: every parser is built.
    ["--conf", "k.toml", "run"],
    ["--config", "demo", "run"],
]

BAD = [
    ["bogus"],
    ["export", "--format", "xml"],
    ["purge", "--older-than", "-3"],
    ["db"],
    ["run", "--bogus"],
    ["--config"],
    ["--conf", "demo", "run", "extra"],
]


def _outcome(parse: Callable[[list[str]], dict[str, Any]],
             line: list[str]) -> tuple[object, int | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code: int | None = None
    flags: object = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            flags = parse(line)
        except SystemExit as stop:
            code = int(stop.code or 0)
    return flags, code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("line", LINES + BAD, ids=" ".join)
def test_the_one_command_parser_reads_a_line_as_the_whole_one_does(line: list[str]) -> None:
    whole = _outcome(lambda args: vars(_parser().parse_args(args)), line)
    assert _outcome(parse_args, line) == whole


@pytest.mark.parametrize("line", [["--config", "k.toml", "run"], ["--data-dir=d", "export"],
                                  ["schedule", "show"]], ids=" ".join)
def test_a_plain_line_names_its_command_without_argparse(line: list[str]) -> None:
    assert _named_command(line) in COMMANDS


@pytest.mark.parametrize("line", [[], ["--help", "run"], ["--conf", "k", "run"],
                                  ["--config"], ["bogus"]], ids=" ".join)
def test_anything_else_builds_every_parser(line: list[str]) -> None:
    assert _named_command(line) is None


def test_help_lists_every_command() -> None:
    _, code, out, _ = _outcome(parse_args, ["--help"])
    assert code == 0
    listed = {line.split()[0] for line in out.splitlines() if line.startswith("    ")}
    assert set(COMMANDS) <= listed


def test_random_lines_read_the_same_either_way() -> None:
    """Lines made of commands, flags, values and stray words, in any order
    (a seeded sample: 4,000 of them agreed when this was written)."""
    import random

    words = [*COMMANDS, "--config", "--config=k", "--content", "--data-dir", "--data-dir=",
             "-h", "--conf", "--da", "x", "--format", "csv", "--series", "--yes", "show",
             "import", "status", "--port", "80", "-", "--", "--older-than", "3"]
    chance = random.Random(20261205)
    for _ in range(300):
        line = [chance.choice(words) for _ in range(chance.randint(0, 5))]
        whole = _outcome(lambda args: vars(_parser().parse_args(args)), line)
        assert _outcome(parse_args, line) == whole, line
