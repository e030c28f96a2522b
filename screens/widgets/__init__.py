"""Widgets the kiosk's screens are built from.

Each loads when first asked for, so the welcome screen does not wait for the
questionnaire's widgets.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_MODULES = {
    "Choice": "screens.widgets.choice",
    "ChoiceGrid": "screens.widgets.choice",
    "QRCode": "screens.widgets.qrcode",
    "ScrollControls": "screens.widgets.scroll",
    "TouchKeyboard": "screens.widgets.keyboard",
    "QuestionView": "screens.widgets.questions",
    "question_view": "screens.widgets.questions",
    "TopBar": "screens.widgets.topbar",
}

__all__ = list(_MODULES)


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(import_module(_MODULES[name]), name)
    raise AttributeError(f"module 'screens.widgets' has no attribute {name!r}")
