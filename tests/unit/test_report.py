"""A series' progress report: what it holds, every value escaped, in the
clinic's language, written 0600 by `kiosk report --series` (and refused
over an existing file, or for a series there is not)."""

from __future__ import annotations

import re
import stat
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kiosk.checkin.consents import agreements
from kiosk.cli import main
from kiosk.content.model import load_content
from kiosk.desk.report import report_html
from kiosk.i18n import words
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.clock import FIXED_NOW
from tests.support.series import CONTENT, visit

HOSTILE = "<img src=x onerror=alert(1)>"


def series_of(pains: list[int], first: str = "Ann", initial: str = "B") -> list[dict]:
    """A linked series, one visit a week, the first made in Spanish."""
    records = [visit(first, initial, 7 * (len(pains) - n), pain, follow_up=n > 0)
               for n, pain in enumerate(pains)]
    for number, record in enumerate(records, 1):
        record.update(series="s-1", session=number)
    records[0]["consents"] = agreements(CONTENT.questions, {"consent": True}, "es",
                                        FIXED_NOW - timedelta(days=7 * len(pains)))
    return records


class Parsed(HTMLParser):
    """The report's elements and its text, as a browser would parse them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_report_holds_what_a_physician_reads() -> None:
    records = series_of([8, 6, 3])
    page = report_html(records, CONTENT.all_questions(), CONTENT.rules.meaningful,
                       clinic="Riverside", words=words("en"), made=FIXED_NOW)
    text = " ".join(Parsed(page).text)
    assert "Progress report: Riverside" in text
    assert "Ann B." in text
    assert "Pain down 5 points (62%) since session 1: a meaningful improvement" in text
    assert "2 points or more and 30% or more" in text  # From rules.toml.
    assert f"Made {words('en').day_time(FIXED_NOW.astimezone())}" in text
    # Each session, with its date, pain, and the since-last and at-home answers.
    rows = page[page.index("<tbody>"):page.index("</tbody>")]
    assert rows.count("<tr>") == 3
    assert ("<tr><td>2</td><td>2026-11-13</td><td>6</td><td>Better</td>"
            "<td>Yes, I did them</td></tr>") in rows
    # The chart: each session's bar on the fixed 0-10 scale, its figure beside it.
    # The chart: each session's bar to scale on the fixed 0-10 (420 units wide),
    # its figure beside it, ◆ where the change is meaningful.
    bars = [float(width) for width in re.findall(r'<rect [^>]*width="([0-9.]+)"', page)]
    assert bars == [336.0, 252.0, 126.0]
    assert ">8/10<" in page and ">6/10<" in page and ">3/10 ◆<" in page
    # The consent's version and language.
    version = records[0]["consents"][0]["version"][:8]
    assert f"version {version} (Español)" in text
    # One self-contained file: inline CSS and SVG, nothing fetched.
    assert "<style>" in page and "<svg" in page
    assert "src=" not in page and "href=" not in page and "@import" not in page


def test_every_value_is_escaped() -> None:
    records = series_of([5, 2], first=HOSTILE, initial="&")
    page = report_html(records, CONTENT.all_questions(), CONTENT.rules.meaningful,
                       clinic="</title><script>alert(2)</script>", words=words("en"),
                       made=FIXED_NOW)
    parsed = Parsed(page)
    assert "img" not in parsed.tags and "script" not in parsed.tags
    assert HOSTILE in "".join(parsed.text)
    assert "</title><script>alert(2)</script>" in "".join(parsed.text)


def test_a_one_session_series_says_so() -> None:
    page = report_html(series_of([6]), CONTENT.all_questions(), CONTENT.rules.meaningful,
                       clinic="Riverside", words=words("en"), made=FIXED_NOW)
    assert "Not enough sessions with a pain score" in page


def test_in_the_clinics_language() -> None:
    spanish = load_content().rules.meaningful
    page = report_html(series_of([8, 6, 3]), CONTENT.all_questions(), spanish,
                       clinic="Riverside", words=words("es"), made=FIXED_NOW)
    assert '<html lang="es">' in page
    assert "Informe de evolución" in page
    assert "una mejora significativa" in page


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, str]:
    """A data folder with a three-session series; its id."""
    store = CheckInStore(tmp_path / "data")
    ids = []
    for record in series_of([8, 6, 3], first=HOSTILE):
        del record["series"], record["session"]  # Linked by the store, as the desk does.
        ids.append(store.add(record))
    series_id = store.link(ids[0])
    for checkin_id in ids[1:]:
        store.link(checkin_id, to=ids[0])
    return tmp_path / "data", series_id


def test_kiosk_report_writes_a_private_file(linked: tuple[Path, str], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    data, series = linked
    out = tmp_path / "report.html"
    args = ["report", "--series", series, "--data-dir", str(data), "--output", str(out)]
    assert main(args) == 0
    assert "Wrote the report of 3 session(s)" in capsys.readouterr().out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "a meaningful improvement" in out.read_text()
    assert "&lt;img src=x onerror=alert(1)&gt;" in out.read_text()
    # Never over an existing file, unless told.
    out.write_text("kept")
    assert main(args) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "--force" in error
    assert out.read_text() == "kept"
    assert main([*args, "--force"]) == 0
    assert "meaningful" in out.read_text()


def test_kiosk_report_of_no_such_series(linked: tuple[Path, str],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    data, _ = linked
    assert main(["report", "--series", "nope", "--data-dir", str(data)]) == 2
    error = capsys.readouterr().err
    assert error == "kiosk: no series 'nope'\n"


def test_kiosk_report_defaults_to_the_export_folder(
        linked: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, series = linked
    config = tmp_path / "kiosk.toml"
    config.write_text(f'language = "es"\nexport_dir = "{tmp_path / "exports"}"\n')
    assert main(["report", "--series", series, "--data-dir", str(data),
                 "--config", str(config)]) == 0
    written = list((tmp_path / "exports").glob(f"report-{series[:8]}-*.html"))
    assert len(written) == 1, capsys.readouterr()
    assert "Informe de evolución" in written[0].read_text()
