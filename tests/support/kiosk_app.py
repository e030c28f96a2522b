"""The kiosk app on a test's own settings."""

from __future__ import annotations

from kiosk.settings import Settings
from screens.app import KioskApp, make_app
from tests.support.clock import fake_clock


def kiosk(settings: Settings) -> KioskApp:
    return make_app(settings, clock=fake_clock())
