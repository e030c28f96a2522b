"""The front desk's screens: the live queue with its detail and series, the
link panel, today at a glance, the audit log, and staff's menu on the kiosk."""

from __future__ import annotations

from importlib import import_module
from typing import Any

_MODULES = {
    "StaffScreen": "screens.desk.queue",
    "StaffMenuScreen": "screens.desk.staff_menu",
}

__all__ = list(_MODULES)


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(import_module(_MODULES[name]), name)
    raise AttributeError(f"module 'screens.desk' has no attribute {name!r}")
