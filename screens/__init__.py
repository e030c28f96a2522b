"""The kiosk's Textual screens, one module each.

Each screen's module loads when it is first asked for, so the kiosk's first
screen does not wait for the imports of the ones after it.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

from screens.collector import pace_for_a_long_day
from screens.textual_fixes import apply as _apply_textual_fixes

_apply_textual_fixes()
# Every process that draws these screens collects its garbage at the same
# pace: the kiosk, the desk, and the tests and benchmarks that drive them.
pace_for_a_long_day()

STYLESHEET = Path(__file__).parent / "kiosk.tcss"
"""The one stylesheet every screen shares."""

_MODULES = {
    "QuestionnaireScreen": "screens.questionnaire",
    "ResultScreen": "screens.result",
    "SaveFailedScreen": "screens.dialogs.save_failed",
    "WalkthroughScreen": "screens.walkthrough",
    "WelcomeScreen": "screens.welcome",
}

__all__ = ["STYLESHEET", *_MODULES]


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(import_module(_MODULES[name]), name)
    raise AttributeError(f"module 'screens' has no attribute {name!r}")
