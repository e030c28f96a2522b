"""The shape of the code: layers one way, no cycles, one registry per seam,
and the type checker clean."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path
from typing import get_args

import kiosk
from kiosk.content.kinds import KINDS, QuestionKind
from screens.widgets.questions import VIEWS
from tests.support.paths import ROOT


def _tool(name: str) -> str:
    """A console script installed beside this Python (the test extra)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[test]'"
    return found


def test_every_domain_module_imports_without_textual_or_the_screens() -> None:
    # Every module but __main__, which runs the program when imported.
    modules = sorted(info.name for info in pkgutil.walk_packages(kiosk.__path__, "kiosk.")
                     if info.name != "kiosk.__main__")
    assert "kiosk.store.dayfiles.store" in modules and "kiosk.cli" in modules  # The walk found the package.
    code = (
        "import importlib, sys\n"
        "for blocked in ('textual', 'screens', 'rich'):\n"
        "    sys.modules[blocked] = None\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "assert not any(n.startswith(('textual.', 'screens.')) for n in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_import_contracts_hold() -> None:
    """Layers one way, no Textual in the domain, no cycles (pyproject.toml)."""
    done = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_type_checker_finds_nothing() -> None:
    """mypy --strict over kiosk/ and screens/ (settings in pyproject.toml)."""
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_question_kind_has_its_rules_and_its_view() -> None:
    kinds = set(get_args(QuestionKind))
    assert set(KINDS) == kinds, "a kind without its domain rules (kiosk/kinds.py)"
    assert set(VIEWS) == kinds, "a kind without its view (screens/widgets/questions.py)"


def test_no_module_over_500_lines_and_no_class_over_300() -> None:
    """The code stays in rooms a newcomer can read (docs/pages/code.md: Size)."""
    import ast

    too_big = []
    for package in ("kiosk", "screens"):
        for path in sorted((ROOT / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            if source.count("\n") > 500:
                too_big.append(f"{path.relative_to(ROOT)}: {source.count(chr(10))} lines")
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                    size = node.end_lineno - node.lineno + 1
                    if size > 300:
                        too_big.append(f"{path.relative_to(ROOT)}: class {node.name}, {size} lines")
    assert too_big == []
