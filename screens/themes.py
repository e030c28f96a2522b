"""The kiosk's colour themes: dark, light and high-contrast.

Dark and light are Textual's own, with the colours that fell short of WCAG
2.1's contrast moved until they do not: every word at least 4.5:1 against
what it is drawn on (7:1 in high-contrast), and every control's edge at least
3:1 against what is around it. `tests/ui/test_contrast.py` measures every
snapshot, so a colour that slips fails a test naming the screen and the words.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import App
from textual.reactive import Initialize, Reactive
from textual.theme import BUILTIN_THEMES, Theme

DARK = replace(
    BUILTIN_THEMES["textual-dark"],
    name="kiosk-dark",
    # Textual's #0178D4 under its text is 3.8:1; this blue is 5.2:1.
    primary="#005CA6",
    # Textual's #BA3C5B under its text is 4.47:1; this red is 4.6:1 under it,
    # and 3.3:1 as the edge of a field with a problem.
    error="#B63A59",
    variables={
        # Placeholders ("e.g. K") are words a client reads: muted, never faint.
        "text-disabled": "auto 62%",
        # A control's edge (an answer, a field, a key) against the screen:
        # Textual's is 1.1:1 to 2.3:1, this grey 4.9:1.
        "border-blurred": "#7A848D",
        # The focused control's edge: the darker primary is too dark on black.
        "border": "#4BA3EA",
    },
)

LIGHT = replace(
    BUILTIN_THEMES["textual-light"],
    name="kiosk-light",
    # Textual's orange accent as words on light grey is 1.5:1 (the
    # recommendation itself); this burnt orange is 5:1.
    accent="#944700",
    warning="#944700",
    variables={
        **BUILTIN_THEMES["textual-light"].variables,
        "text-disabled": "auto 70%",
        "border-blurred": "#6E6E6E",
        "border": "#004578",
    },
)

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
        # Plain buttons are black: their words white. Coloured ones, black.
        "button-foreground": "#ffffff",
        "button-color-foreground": "#000000",
        "footer-key-foreground": "#ffff00",
        "input-cursor-background": "#ffff00",
        "input-selection-background": "#00ffff",
        "input-selection-foreground": "#000000",
        "text-disabled": "#c0c0c0",
        "border": "#ffff00",
        "border-blurred": "#ffffff",
    },
)

THEME_NAMES = {
    "dark": DARK.name,
    "light": LIGHT.name,
    "high-contrast": HIGH_CONTRAST.name,
}
"""The `theme` setting's values to Textual theme names."""


def register_themes(app: App[Any]) -> None:
    """Make the kiosk's own themes available to `app`."""
    for theme in (DARK, LIGHT, HIGH_CONTRAST):
        app.register_theme(theme)


def _settings_theme(app: Any) -> str:
    register_themes(app)
    return THEME_NAMES[app.settings.theme]


def settings_theme() -> Reactive[str]:
    """`App.theme` for an app whose `settings` are set before Textual's
    `App.__init__`: the kiosk's themes are registered and the settings' one is
    the app's from the start. Set afterwards, the theme's watcher would build
    the whole stylesheet a second time before the first screen (about 4 ms of
    start-up, measured by `bench/startup.py`)."""
    return Reactive(Initialize(_settings_theme))
