"""Shared fixtures: every test gets its own data and config folders."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.settings import Settings, load_settings
from tests.support.clock import FIXED_NOW, fake_clock, fixed_clock  # noqa: F401
from tests.support.paths import ROOT
from tests.support.postgres import Server, fresh_database, running_server

pytest_plugins = ["pytester"]  # tests/unit/test_needs.py runs this conftest itself.


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's own config and data out of every test."""
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "env-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "documents"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    # Staff screens show local times: the same everywhere the tests run.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """A real PostgreSQL server on 127.0.0.1, one for each test module that
    asks (tests/support/postgres.py)."""
    with running_server() as started:
        yield started


@pytest.fixture
def pg_blank_url(server: Server) -> Iterator[str]:
    """A database of the test's own, never migrated."""
    with fresh_database(server, migrated=False) as pg_url:
        yield pg_url


@pytest.fixture
def pg_url(server: Server) -> Iterator[str]:
    """A database of the test's own, with this program's schema."""
    with fresh_database(server, migrated=True) as migrated:
        yield migrated


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return load_settings(data_dir=data_dir, environ={})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked slow run first, beside the others rather than alone at
    the end. pytest-xdist's worksteal hands each worker an equal run of the
    collection, and a worker with nothing left takes the back half of the
    longest queue: so the slow ones, at the front of the first worker's run,
    start at once, one after another (the soak, about 200 s, first), while
    the rest of that run is taken from its back by the others."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


INSTALL = {
    "tmux": "apt-get install tmux",
    "chromium": "apt-get install chromium chromium-driver",
    "chromedriver": "apt-get install chromium chromium-driver",
    "strace": "apt-get install strace",
    "postgresql": "apt-get install postgresql",
    "openssl": "apt-get install openssl",
    "espeak-ng": "apt-get install espeak-ng",
}
"""How to install each program a test may need (Debian's package names)."""


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the project's modules once, for the Python processes the tests
    start (about 280: the command line, kiosks in tmux, store workers, the
    soak). Where PYTHONDONTWRITEBYTECODE is set, as on these machines and in
    CI, each would otherwise compile every module it imports again."""
    if hasattr(session.config, "workerinput"):
        return  # The controller does it, before the workers start.
    import compileall

    for folder in ("kiosk", "screens", "tests/support"):
        compileall.compile_dir(ROOT / folder, quiet=2)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "needs(*programs): skipped, saying so, where a program is missing "
                   "(under CI=true, failed instead)")


def _found(program: str) -> bool:
    if program == "postgresql":  # The system's server, off PATH (the TLS test only).
        from tests.support.postgres import system_binaries

        return system_binaries() is not None
    return shutil.which(program) is not None


def _missing(item: pytest.Item) -> list[str]:
    return [program for marker in item.iter_markers("needs") for program in marker.args
            if not _found(program)]


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test that needs a program this machine lacks is skipped, naming the
    program and how to install it. Under CI=true nothing may be skipped: a
    missing program fails the test, so a green CI run ran everything."""
    missing = _missing(item)
    if not missing:
        return
    how = "; ".join(dict.fromkeys(INSTALL.get(program, program) for program in missing))
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{', '.join(missing)} not found, and CI=true skips nothing: {how}",
                    pytrace=False)
    pytest.skip(f"needs {', '.join(missing)} ({how})")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line for each missing program: how many tests it kept from running."""
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        reason = reason.removeprefix("Skipped: ")
        if reason.startswith("needs "):
            counts[reason] = counts.get(reason, 0) + 1
    for reason, count in sorted(counts.items()):
        terminalreporter.write_line(f"skipped {count} test(s): {reason}")
