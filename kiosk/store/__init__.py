"""Where check-ins are kept: the contract, the logic both stores share, and the stores.

The names below load when first asked for: the command line reads this
package's errors before it knows whether a store is needed at all.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.store.choose import open_desk_store, open_store
    from kiosk.store.contract import LocalStore, Store
    from kiosk.store.dayfiles.store import CheckInStore

_MODULES = {
    "CheckInStore": "kiosk.store.dayfiles.store",
    "LocalStore": "kiosk.store.contract",
    "Store": "kiosk.store.contract",
    "open_desk_store": "kiosk.store.choose",
    "open_store": "kiosk.store.choose",
}

__all__ = ["CheckInStore", "LocalStore", "Store", "open_desk_store", "open_store"]


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(import_module(_MODULES[name]), name)
    raise AttributeError(f"module 'kiosk.store' has no attribute {name!r}")
