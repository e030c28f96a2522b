"""Where check-ins are kept: the contract, the logic both stores share, and the stores."""

from kiosk.store.dayfiles.store import CheckInStore, Store, open_store

__all__ = ["CheckInStore", "Store", "open_store"]
