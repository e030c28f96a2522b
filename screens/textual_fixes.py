"""A fix for a fault in the Textual release we run on, until Textual has it.

`StylesCache.get_inner_outer` is an `lru_cache` on an instance method, so its
1,024 entries hold 1,024 `StylesCache` objects alive, with every line each of
them had rendered: the widgets of screens long gone
(https://github.com/Textualize/textual/issues/6665). A kiosk builds new
screens for every visit, so the first few hundred visits grew its memory by
megabytes before the cache was full.

The colours are all the answer depends on, so here the cache is keyed by
them alone: the same styles, and no widget kept.
"""

from __future__ import annotations

from functools import lru_cache

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    """Inner and outer background styles (as Textual's own method makes them)."""
    return (
        Style(background=base_background + background),
        Style(background=base_background),
    )


def apply() -> None:
    """Key the cache by colours only (once; harmless if already done)."""
    current = StylesCache.__dict__.get("get_inner_outer")
    if isinstance(current, staticmethod):
        return  # Done already, or fixed in Textual.
    StylesCache.get_inner_outer = staticmethod(_inner_outer)  # type: ignore[method-assign,assignment]
