"""The aftercare site: well-formed pages, links that resolve, a page for
every URL the kiosk's QR codes can encode, and `kiosk aftercare serve`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from kiosk.cli import main
from kiosk.content.model import ContentError, default_content_dir, load_content
from kiosk.web.aftercare import build_site
from kiosk.web.qr import aftercare_url

VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "area", "base", "col"}


class Page(HTMLParser):
    """Reads a page strictly: every element closed in order, links kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.links: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.doctype = False
        self.text: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.links += [value for name, value in attrs if name in ("href", "src") and value]
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


@pytest.fixture
def site(tmp_path: Path) -> Path:
    build_site(default_content_dir(), tmp_path / "site", "Riverside <Massage> Clinic")
    return tmp_path / "site"


def test_every_page_is_well_formed_and_made_for_a_phone(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert [p.relative_to(site).as_posix() for p in pages] == [
        "index.html", "medical/index.html", "spa/index.html"]
    for path in pages:
        page = read(path)
        assert page.doctype and not page.problems and not page.open, path
        metas = [attrs for tag, attrs in page.tags if tag == "meta"]
        assert {"charset": "utf-8"} in metas
        assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in metas
        assert not any(tag == "script" for tag, _ in page.tags), "no script needed"
        assert ("html", {"lang": "en"}) in page.tags
        # The clinic's name is text, never markup.
        assert "Riverside <Massage> Clinic" in "".join(page.text)


def test_every_link_resolves_inside_the_site(site: Path) -> None:
    for path in site.rglob("*.html"):
        base = "http://site/" + path.relative_to(site).as_posix()
        for link in read(path).links:
            target = urlsplit(urljoin(base, link))
            assert target.netloc == "site", f"{path}: {link} leaves the site"
            local = site / target.path.lstrip("/")
            if target.path.endswith("/"):
                local = local / "index.html"
            assert local.is_file(), f"{path}: {link} goes nowhere"


def test_every_url_a_qr_code_can_encode_has_its_page(site: Path) -> None:
    base = "https://clinic.example/care"
    facts = {"spa": ["drink water", "warm bath", "soreness"],
             "medical": ["stretches", "heat or ice", "next session", "numbness", "swelling"]}
    for type_id in load_content().rules.types:
        url = aftercare_url(base, type_id)
        relative = url.removeprefix(base + "/")
        page = site / relative / "index.html"
        assert page.is_file(), url
        text = " ".join(read(page).text).lower()
        assert all(fact in text for fact in facts[type_id]), type_id


def test_a_type_without_a_page_is_a_content_error(tmp_path: Path, capsys) -> None:
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    (content / "aftercare" / "medical.md").unlink()
    assert main(["check-content", str(content)]) == 2
    err = capsys.readouterr().err
    assert "medical.md" in err and "aftercare page" in err and "Traceback" not in err
    assert main(["aftercare", "build", str(tmp_path / "out"), "--content", str(content)]) == 2


def test_html_in_a_page_is_shown_as_text(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    (content / "aftercare" / "spa.md").write_text(
        "# Spa\n\n<script>alert(1)</script> water\n\n## At home {#at-home}\n\nRest.\n")
    build_site(content, tmp_path / "site", "Clinic")
    page = read(tmp_path / "site" / "spa" / "index.html")
    assert not any(tag == "script" for tag, _ in page.tags)
    assert "<script>alert(1)</script>" in "".join(page.text)


def test_aftercare_serve_serves_the_pages_the_codes_open(tmp_path: Path) -> None:
    """And a stop signal (how a service manager stops it) removes the folder
    the pages were built in, as ctrl+c does: it used to stay in /tmp."""
    import os

    server = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "aftercare", "serve", "--port", "0"],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(tmp_path)})
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # Printed once it listens.
        assert line.startswith("Serving the aftercare pages at http://127.0.0.1:")
        root = line.split(" at ")[1].split()[0]
        for type_id in ("spa", "medical"):
            # What a phone opens from the code: no trailing slash, redirected.
            with urllib.request.urlopen(aftercare_url(root.rstrip("/"), type_id)) as response:
                assert response.status == 200
                assert response.url == f"{root}{type_id}/"
                assert b"After your" in response.read()
        assert list(tmp_path.glob("kiosk-aftercare-*")), "built where TMPDIR says"
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert server.returncode == 0
    assert not list(tmp_path.glob("kiosk-aftercare-*")), "the pages' folder left behind"


def test_each_page_has_its_at_home_section_for_follow_up_codes(tmp_path: Path) -> None:
    """A follow-up's code opens <type>#at-home: every page has that heading,
    and a page without it is a content error naming the page."""
    build_site(default_content_dir(), tmp_path / "site", "Clinic")
    for type_id in ("spa", "medical"):
        html = (tmp_path / "site" / type_id / "index.html").read_text()
        assert '<h2 id="at-home">' in html
        assert "{#at-home}" not in html
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    page = content / "aftercare" / "medical.md"
    page.write_text(page.read_text().replace(" {#at-home}", ""))
    with pytest.raises(ContentError, match=r"medical\.md: needs a heading ending in \{#at-home\}"):
        build_site(content, tmp_path / "site2", "Clinic")
    (content / "followup.toml").unlink()
    build_site(content, tmp_path / "site3", "Clinic")  # No follow-ups: not needed.
