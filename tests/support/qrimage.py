"""Turn a drawn QR code back into pixels and read it with a real decoder."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import zxingcpp
from PIL import Image
from rich.color import Color
from textual.strip import Strip

SCALE = 4  # phone cameras see many pixels a module; so does the decoder here


def _dark(color: Color | None, fallback: bool) -> bool:
    if color is None:
        return fallback
    red, green, blue = color.get_truecolor()
    return 0.299 * red + 0.587 * green + 0.114 * blue < 128


def strips_to_image(strips: Iterable[Strip]) -> Image.Image:
    """One text cell is one pixel wide and two tall, in the colours drawn."""
    rows: list[list[bool]] = []
    for strip in strips:
        top: list[bool] = []
        bottom: list[bool] = []
        for segment in strip:
            style = segment.style
            fg = _dark(style.color if style else None, True)
            bg = _dark(style.bgcolor if style else None, False)
            for char in segment.text:
                upper, lower = {"▀": (fg, bg), "▄": (bg, fg), "█": (fg, fg)}.get(char, (bg, bg))
                top.append(upper)
                bottom.append(lower)
        rows += [top, bottom]
    return pixels_to_image(rows)


def text_to_image(lines: Iterable[str]) -> Image.Image:
    """Half-block text read as dark blocks on a light ground (capture-pane)."""
    rows: list[list[bool]] = []
    for line in lines:
        # A wide character (Chinese beside the code) is two cells of the glass.
        cells = "".join(char * (2 if unicodedata.east_asian_width(char) in "WF" else 1)
                        for char in line)
        rows.append([char in "▀█" for char in cells])
        rows.append([char in "▄█" for char in cells])
    return pixels_to_image(rows)


def pixels_to_image(rows: list[list[bool]]) -> Image.Image:
    width = max(len(row) for row in rows)
    image = Image.new("L", (width, len(rows)), 255)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                image.putpixel((x, y), 0)
    return image.resize((width * SCALE, len(rows) * SCALE), Image.NEAREST)


def decode(image: Image.Image) -> str | None:
    """What a QR decoder reads in the image, or None."""
    # No inverted retry: many phone scanners don't, so neither does this test.
    found = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormat.QRCode, try_invert=False
    )
    return found[0].text if found else None
