"""The code passes the project's own ruff rules (configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from tests.support.paths import ROOT


def test_ruff_check_passes() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "kiosk", "screens", "tests", "bench"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
