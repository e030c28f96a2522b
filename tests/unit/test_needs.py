"""A test that needs a program the machine lacks is skipped, saying which
and how to install it; under CI=true it fails instead (tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.support.paths import ROOT

NEEDY = """
import pytest

@pytest.mark.needs("tmux-that-is-not-there")
def test_needs_a_missing_program():
    pass

@pytest.mark.needs("sh")
def test_needs_a_program_that_is_there():
    pass
"""


@pytest.fixture
def needy(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """The suite's own conftest, over two tests that need programs."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # `tests.support` imports.
    pytester.makeconftest((ROOT / "tests" / "conftest.py").read_text())
    pytester.makepyfile(test_needy=NEEDY)
    return pytester


def test_a_missing_program_skips_with_one_line_naming_it(
        needy: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    result = needy.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["skipped 1 test(s): needs tmux-that-is-not-there *"])


def test_under_ci_a_missing_program_fails_the_run(
        needy: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    result = needy.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)  # Failed in setup: an error.
    result.stdout.fnmatch_lines(["*tmux-that-is-not-there not found, and CI=true skips nothing*"])
    assert result.ret != 0
