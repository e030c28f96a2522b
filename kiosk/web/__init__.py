"""The kiosk on the web: serve, browser tabs, the aftercare site and its QR code."""
