"""The aftercare QR code: correct, complete, dark on light, and impersonal."""

from __future__ import annotations

import pytest
from textual.geometry import Region

from kiosk.settings import Settings
from kiosk.web.qr import QUIET_ZONE, aftercare_url, qr_matrix, qr_text
from screens.app import make_app
from screens.widgets import QRCode
from tests.support.clock import fake_clock
from tests.support.qrimage import decode, strips_to_image, text_to_image
from tests.support.visit import MEDICAL_VISIT, SPA_VISIT, answer_all, tap, wait_for_screen


def test_url_holds_only_the_type() -> None:
    assert aftercare_url("https://clinic.example/care/", "medical") == (
        "https://clinic.example/care/medical"
    )


def test_matrix_has_its_quiet_zone() -> None:
    matrix = qr_matrix("https://www.example.com/aftercare/spa")
    size = len(matrix)
    for ring in range(QUIET_ZONE):
        assert not any(matrix[ring]) and not any(matrix[size - 1 - ring])
        assert not any(row[ring] or row[size - 1 - ring] for row in matrix)
    assert matrix[QUIET_ZONE][QUIET_ZONE], "finder pattern starts after the quiet zone"


@pytest.mark.parametrize("url", ["https://www.example.com/aftercare/spa", "http://10.0.0.5:8000/a/medical"])
def test_half_block_text_decodes(url: str) -> None:
    assert decode(text_to_image(qr_text(url))) == url


def test_an_address_is_encoded_once_and_kept_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    """The result screen of every visit draws one of a few addresses: each
    is encoded once (about 15 ms), and what is kept can't be changed."""
    import kiosk.web.qr as qr

    encoded: list[str] = []
    matrix = qr.qr_matrix

    def counted(data: str) -> list[list[bool]]:
        encoded.append(data)
        return matrix(data)

    monkeypatch.setattr(qr, "qr_matrix", counted)
    url = "https://www.example.com/aftercare/once-only"
    first = qr_text(url)
    assert qr_text(url) is first and isinstance(first, tuple)
    assert qr_text(url + "#at-home") != first
    assert encoded == [url, url + "#at-home"]


@pytest.mark.parametrize(("visit", "kind"), [(MEDICAL_VISIT, "medical"), (SPA_VISIT, "spa")])
async def test_result_screen_qr_decodes_to_the_aftercare_url(
    settings: Settings, visit: dict, kind: str
) -> None:
    app = make_app(settings, clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, visit)
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
        await pilot.pause()

        qr = app.screen.query_one(QRCode)
        expected = f"{settings.aftercare_url}/{kind}"
        assert qr.data == expected
        # The whole code, quiet zone included, is on screen at 80x24.
        assert app.screen.region.contains_region(qr.region)
        assert qr.region.size == (len(qr.lines[0]), len(qr.lines))
        strips = qr.render_lines(Region(0, 0, *qr.region.size))
        assert decode(strips_to_image(strips)) == expected
        # Nothing the client typed is in the code.
        assert visit["name"]["first"] not in expected


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "nord", "dracula"])
async def test_qr_is_dark_on_light_in_every_theme(settings: Settings, theme: str) -> None:
    from textual.app import App, ComposeResult

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield QRCode("https://www.example.com/aftercare/spa")

    app = One()
    async with app.run_test(size=(60, 30)) as pilot:
        app.theme = theme
        await pilot.pause()
        qr = app.query_one(QRCode)
        strips = qr.render_lines(Region(0, 0, *qr.region.size))
        assert decode(strips_to_image(strips)) == "https://www.example.com/aftercare/spa"


def test_decoder_rejects_a_light_on_dark_code() -> None:
    """The colour checks above would mean nothing if inverted codes passed."""
    from PIL import ImageOps

    image = text_to_image(qr_text("https://www.example.com/aftercare/spa"))
    assert decode(ImageOps.invert(image)) is None
