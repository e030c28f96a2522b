"""A QR code drawn in half blocks, dark on light whatever the theme."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from kiosk.web.qr import qr_text


class QRCode(Widget):
    """The QR code for `data`, with its quiet zone.

    Phone scanners reject light-on-dark codes, so the colours are fixed here
    rather than taken from the theme.
    """

    DEFAULT_CSS = """
    QRCode {
        width: auto;
        height: auto;
        color: #000000;
        background: #ffffff;
    }
    """

    def __init__(self, data: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data = data
        """What the code says (a URL)."""
        self.lines: tuple[str, ...] = qr_text(data)
        """The code as rows of ▀ ▄ █ and spaces."""

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(self.lines[0])

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines)

    def render(self) -> Content:
        return Content("\n".join(self.lines))
