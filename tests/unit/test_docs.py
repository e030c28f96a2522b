"""The README and the guides: short, true to the code, and built strictly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.support.paths import ROOT

README = (ROOT / "README.md").read_text()
PAGES = sorted((ROOT / "docs" / "pages").glob("*.md"))


def test_the_guides_build_with_mkdocs_strict(tmp_path: Path) -> None:
    """A broken link, a missing page or a missing anchor fails the build."""
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "docs/mkdocs.yml",
         "-d", str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "snapshots" / "test_screen[welcome-80x24].svg").exists(), (
        "the pictures are the suite's own snapshots")


def test_the_readme_is_for_users_and_its_test_line_is_what_ci_runs() -> None:
    assert len(README.splitlines()) <= 300
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    lines = re.findall(r"```sh\n(.*?)\n```", quick, re.S)
    assert lines == ["pip install -e . && kiosk demo",
                     "pip install -e '.[test]' && pytest -n 6"], "two command lines"
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci[-1] == lines[1], ".ci/run runs the README's test line as written"
    for page in (page for page in PAGES if page.name != "index.md"):  # The site's home.
        assert f"docs/pages/{page.name}" in README, f"the README points to {page.name}"


def test_no_page_names_an_issue_or_the_order_work_was_done_in() -> None:
    for path in [ROOT / "README.md", *PAGES]:
        text = path.read_text()
        assert not re.search(r"\bissues? #?\d+", text, re.I), path.name
        assert not re.search(r"\bround \d\b|\bthis round\b", text, re.I), path.name


def test_the_changelog_keeps_a_changelog() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "Keep a Changelog" in changelog and "## [Unreleased]" in changelog
