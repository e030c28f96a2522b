"""The kiosk's colour themes: Textual's dark and light, and a high-contrast one."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="kiosk-high-contrast",
    # Pure black and white, with yellow and cyan for focus and choices: every
    # pair is above WCAG's 7:1 for text.
    primary="#ffff00",
    secondary="#00ffff",
    accent="#00ffff",
    warning="#ffff00",
    error="#ff8080",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#000000",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
    variables={
        "button-foreground": "#000000",
        "button-color-foreground": "#000000",
        "footer-key-foreground": "#ffff00",
        "input-cursor-background": "#ffff00",
        "input-selection-background": "#00ffff 40%",
        "border": "#ffffff",
        "border-blurred": "#ffffff",
    },
)

THEME_NAMES = {
    "dark": "textual-dark",
    "light": "textual-light",
    "high-contrast": HIGH_CONTRAST.name,
}
"""The `theme` setting's values to Textual theme names."""


def register_themes(app: App[Any]) -> None:
    """Make the kiosk's own themes available to `app`."""
    app.register_theme(HIGH_CONTRAST)
