"""The aftercare pages the QR code opens: content/aftercare/*.md to static HTML.

One page per massage type, at `<type>/index.html`, so `<aftercare_url>/<type>`
(what the QR code holds) lands on it when the folder is hosted at
`<aftercare_url>`. Every other language the kiosk offers has its own pages in
its own folder, `<language>/<type>/index.html`, from `content/<language>/`,
and each page links to the same page in the other languages. Pages are
small, readable on a phone, need no script, and load nothing from anywhere
else.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from kiosk.content.model import ContentError, load_content
from kiosk.i18n import ENGLISH, Words, language_name, words
from kiosk.settings import Settings
from kiosk.web.qr import AT_HOME_ANCHOR

AFTERCARE_FOLDER = "aftercare"

_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {clinic}</title>
<style>
  body {{ margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
         font-size: 1.125rem; line-height: 1.6; color: #111; background: #fff; }}
  header, main, footer {{ max-width: 40rem; margin: 0 auto; padding: 0 1.25rem; }}
  header {{ padding-top: 1rem; font-weight: 600; color: #0b4f8a; }}
  h1 {{ font-size: 1.6rem; line-height: 1.25; }}
  h2 {{ font-size: 1.25rem; margin-top: 2rem; }}
  li {{ margin: 0.4rem 0; }}
  a {{ color: #0b4f8a; }}
  footer {{ padding-bottom: 2rem; color: #444; font-size: 1rem; }}
  nav {{ max-width: 40rem; margin: 0 auto; padding: 0.5rem 1.25rem 0; }}
  nav a {{ margin-right: 1rem; }}
  @media (prefers-color-scheme: dark) {{
    body {{ color: #eee; background: #111; }} header, a {{ color: #8cc8ff; }}
    footer {{ color: #bbb; }} }}
</style>
</head>
<body>
<header>{clinic}</header>
{languages}<main>
{body}
</main>
<footer><p>{footer}</p></footer>
</body>
</html>
"""


@dataclass(frozen=True)
class AftercarePage:
    """One massage type's guidance."""

    type: str
    name: str
    source: Path
    markdown: str


def aftercare_pages(content_dir: Path) -> list[AftercarePage]:
    """The aftercare page of every massage type in rules.toml.

    Raises:
        ContentError: if a type has no page, or a page can't be read.
    """
    content = load_content(content_dir)
    needs_at_home = content.followup is not None
    folder = Path(content_dir) / AFTERCARE_FOLDER
    pages = []
    for type_id, name in content.rules.types.items():
        source = folder / f"{type_id}.md"
        try:
            text = source.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ContentError(source, f"is missing: every massage type needs an aftercare "
                                       f"page, and '{type_id}' is a type in rules.toml") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ContentError(source, f"can't be read ({error})") from None
        if not text.strip():
            raise ContentError(source, "is empty")
        if needs_at_home and AT_HOME_ANCHOR not in heading_ids(text):
            raise ContentError(source, (
                f"needs a heading ending in {{#{AT_HOME_ANCHOR}}} (such as "
                f"'## At home, between sessions {{#{AT_HOME_ANCHOR}}}'): a follow-up visit's "
                "QR code opens that section"))
        pages.append(AftercarePage(type_id, name, source, text))
    return pages


_HEADING_ID = re.compile(r"\s*\{#([a-z0-9-]{1,40})\}\s*$")
"""A heading's id, written after it as in Pandoc: `## At home {#at-home}`."""


def heading_ids(markdown: str) -> list[str]:
    """The ids the page's headings are given (`{#id}` after a heading)."""
    return [match.group(1) for line in markdown.splitlines()
            if line.startswith("#") and (match := _HEADING_ID.search(line))]


def render(markdown: str) -> str:
    """Markdown to HTML; any raw HTML in it is shown as text, not run. A
    heading ending in `{#id}` gets that id, so a link can open it."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False})
    tokens = parser.parse(markdown)
    for opening, inline in pairwise(tokens):
        if opening.type != "heading_open" or inline.type != "inline":
            continue
        match = _HEADING_ID.search(inline.content)
        if match is None or not inline.children:
            continue
        opening.attrSet("id", match.group(1))
        last = inline.children[-1]
        last.content = _HEADING_ID.sub("", last.content)
    html: str = parser.renderer.render(tokens, parser.options, {})
    return html


def _title(page: AftercarePage) -> str:
    for line in page.markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page.name


def _folder(language: str, default: str) -> str:
    """A language's folder in the site, from its top: "" for the clinic's own."""
    return "" if language == default else f"{language}/"


def _language_links(language: str, languages: tuple[str, ...], default: str, up: str,
                    page: str) -> str:
    """Links to the same page in the other languages, each in its own name."""
    links = [f'<a href="{up}{_folder(other, default)}{page}" lang="{other}" hreflang="{other}">'
             f"{html.escape(language_name(other))}</a>"
             for other in languages if other != language]
    return f"<nav>{' '.join(links)}</nav>\n" if links else ""


def build_site(content_dir: Path, out_dir: Path, clinic_name: str, lang: str = "en", *,
               said: Words = ENGLISH, languages: tuple[str, ...] = (),
               default: str = "en") -> list[Path]:
    """Write one language's pages into `out_dir` (made if missing); returns
    the pages written. `languages` (and the clinic's own, `default`): the
    site's languages, which each page links to."""
    pages = aftercare_pages(content_dir)
    out_dir = Path(out_dir)
    clinic = html.escape(clinic_name)
    # From a page to the top of the site: up out of its type's folder, and
    # out of its language's.
    up = "../" if lang == default else "../../"
    written = []
    for page in pages:
        target = out_dir / page.type / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        all_guides = html.escape(said._("All aftercare guides"))
        target.write_text(_PAGE.format(
            lang=lang, clinic=clinic, title=html.escape(_title(page)), body=render(page.markdown),
            languages=_language_links(lang, languages, default, up, f"{page.type}/"),
            footer=f'<a href="../">{all_guides}</a> · {clinic}'), encoding="utf-8")
        written.append(target)
    links = "\n".join(f'<li><a href="{page.type}/">{html.escape(_title(page))}</a></li>'
                      for page in pages)
    index = out_dir / "index.html"
    heading = html.escape(said._("Aftercare after your massage"))
    index.write_text(_PAGE.format(
        lang=lang, clinic=clinic, title=html.escape(said._("Aftercare")), footer=clinic,
        languages=_language_links(lang, languages, default, up[3:], ""),
        body=f"<h1>{heading}</h1>\n<ul>\n{links}\n</ul>"), encoding="utf-8")
    return [index, *written]


def build_sites(settings: Settings, out_dir: Path) -> list[Path]:
    """Write every offered language's pages: the clinic's own at the top of
    `out_dir`, each other in `<language>/`. Returns the pages written.

    Raises:
        ContentError: a language's content or page is missing or wrong.
    """
    languages, default = settings.offered_languages, settings.language
    written = []
    for language in languages:
        written += build_site(settings.content_folder_for(language),
                              Path(out_dir) / _folder(language, default), settings.clinic_name,
                              language, said=words(language), languages=languages,
                              default=default)
    return written
