"""Aftercare URL to QR matrix to half-block text: pure, no Textual."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

QUIET_ZONE = 4
"""Modules of light border every side; scanners need all four."""

# Dark modules are drawn in the foreground colour, light ones in the
# background: the widget must paint dark on light for phones to read it.
_HALF_BLOCKS = {
    (False, False): " ",
    (True, False): "▀",
    (False, True): "▄",
    (True, True): "█",
}


def aftercare_url(base_url: str, massage_type: str, language: str | None = None) -> str:
    """The aftercare page for a massage type: `<base>/<type>`, or
    `<base>/<language>/<type>` in another language than the clinic's own.

    Only the type and the language go in: nothing about the client.
    """
    folder = f"/{language}" if language else ""
    return f"{base_url.rstrip('/')}{folder}/{massage_type}"


AT_HOME_ANCHOR = "at-home"
"""The id of the aftercare page's section for between sessions."""


def at_home_url(base_url: str, massage_type: str, language: str | None = None) -> str:
    """The between-sessions part of a type's aftercare page, for a client
    back for another session: `<base>/<type>#at-home`. Nothing about the
    client is in it."""
    return f"{aftercare_url(base_url, massage_type, language)}#{AT_HOME_ANCHOR}"


FITS_80X24_BYTES = 78
"""What a code of version 4 (error correction L) holds: the largest that fits
beside the result's text at 80x24. A longer address makes a bigger code, and
a screen too small for it shows the address as text instead."""


def longest_url(base_url: str, type_ids: Iterable[str], languages: Iterable[str],
                at_home: bool) -> str:
    """The longest address the kiosk's codes can hold: every massage type, in
    the clinic's own language (None) or another, with or without #at-home."""
    urls = [(at_home_url if at_home else aftercare_url)(base_url, type_id, language)
            for type_id in type_ids for language in (None, *languages)]
    return max(urls, key=lambda url: len(url.encode("utf-8")))


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR modules for `data`, True for dark, with the quiet zone."""
    # qrcode pulls in Pillow: load it when a code is first drawn, not at start.
    import qrcode
    from qrcode.constants import ERROR_CORRECT_L

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_L, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def half_block_lines(matrix: list[list[bool]]) -> list[str]:
    """Two module rows per text line, as ▀ ▄ █ and space."""
    rows = [*matrix, [False] * len(matrix[0])] if len(matrix) % 2 else matrix
    return [
        "".join(_HALF_BLOCKS[top, bottom] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    ]


@lru_cache(maxsize=64)
def qr_text(data: str) -> tuple[str, ...]:
    """`data` as a QR code in half-block lines, quiet zone included.

    Kept for the next visit: a kiosk shows the same few aftercare addresses
    (one per massage type and language, with or without #at-home) all day,
    and encoding one is about 15 ms (choosing its mask). Only addresses are
    kept: nothing personal ever goes into a code."""
    return tuple(half_block_lines(qr_matrix(data)))
