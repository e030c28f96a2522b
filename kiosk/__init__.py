"""A check-in kiosk for a massage clinic's reception."""

__version__ = "0.1.0"
