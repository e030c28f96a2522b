"""Where check-ins are kept: the contract, the logic both stores share, and the stores."""

from kiosk.store.choose import open_desk_store, open_store
from kiosk.store.contract import LocalStore, Store
from kiosk.store.dayfiles.store import CheckInStore

__all__ = ["CheckInStore", "LocalStore", "Store", "open_desk_store", "open_store"]
