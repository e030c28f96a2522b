"""What counts as English on a screen that should be translated."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

from babel.messages.pofile import read_po
from rich.text import Text
from textual.content import Content
from textual.widgets import Button, Static

from kiosk import i18n
from kiosk.content.model import default_content_dir, load_content


def _template_ids() -> set[str | tuple[str, str]]:
    return {message_id for message_id, _ in _template_keys()}


def _template_keys() -> set[tuple[str | tuple[str, str], str | None]]:
    """Each message of the template, and its context ("status"), if any."""
    with i18n.template_path().open("rb") as template:
        return {(message.id, message.context) for message in read_po(template) if message.id}


@cache
def _english_fragments() -> frozenset[str]:
    """Program words that must not show on a translated screen: each
    English message's literal parts (between its {fields}), long enough to
    be words rather than punctuation."""
    fragments = set()
    for message_id in _template_ids():
        for text in message_id if isinstance(message_id, tuple) else (message_id,):
            for part in re.split(r"\{[a-z_]+\}", text):
                part = part.strip(" .,:!?▶◀✓…\"")
                if len(part) >= 4 and re.search(r"[A-Za-z]{3}", part) and part != "DEMO":
                    fragments.add(part)
    # The English content's own texts (multi-word, so "No" and "OK" don't count).
    content = load_content(default_content_dir())
    for question in content.all_questions():
        for text in (question.prompt, question.help, question.short,
                     *(option.label for option in question.options)):
            if " " in text and len(text) >= 8:
                fragments.add(text)
    return frozenset(fragments)


def english_on(screen: str, data: Iterable[str] = ()) -> str | None:
    """The first English program or content words on a screen's text, if
    any, leaving out what a clinic or a client wrote (`data`)."""
    flat = " ".join(screen.split())  # Words a wrapped line parted are together again.
    for own in data:
        flat = flat.replace(" ".join(own.split()), " ")
    for fragment in sorted(_english_fragments()):
        # As a word of its own: "Cancel" is not in "Cancelar".
        if re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", flat):
            return fragment
    return None


def _tokens(text: str) -> list[str]:
    """What must not be cut in two: each word of Latin text, each wide character."""
    tokens = []
    for word in text.split():
        runs = re.findall(r"[^\u2e80-\uffef]+|[\u2e80-\uffef]", word)
        tokens += [run for run in runs if run.strip()]
    return tokens


def _drawn_lines(widget) -> list[str]:
    from textual.geometry import Region

    strips = widget.render_lines(Region(0, 0, widget.region.width, widget.region.height))
    return ["".join(segment.text for segment in strip) for strip in strips]


def check_screen(app: Any, language: str, where: str, *, data: Iterable[str] = (),
                 every_widget: bool = False, touch: bool = True) -> None:
    """The drawn screen: no line past the edge, no word or wide character cut
    in two, no control smaller than 3x10, and (for a translated language) no
    English program or content words. `data`: what a clinic or a client
    wrote (the clinic's name, a client's), which is not the program's words;
    `every_widget`: read tables and lists for English too, not only labels
    and buttons (the desk's words are in its tables); `touch`: every control
    is a finger's size (the desk's one-line buttons are not, by design)."""
    screen = app.screen
    width = app.size.width
    data = list(data)
    from textual.widget import Widget

    from screens.widgets.choice import Choice

    shown = [widget for widget in screen.query(Widget)
             if widget.display and widget.visible and widget.region.area]
    for widget in shown:
        region = widget.region
        # Past the bottom is what ▲/▼ scroll to; past the right edge is lost.
        assert region.right <= width, (where, widget, region)
        said = widget.content if isinstance(widget, Static) else getattr(widget, "label", None)
        if isinstance(widget, Button | Static | Choice) and isinstance(said, str | Text | Content):
            source = str(said)
            drawn_lines = [line.rstrip() for line in _drawn_lines(widget)]
            for token in _tokens(source):
                if any(token in own or own in token for own in data):
                    continue  # A path wider than the line wraps where it must.
                assert any(token in line for line in drawn_lines), (
                    where, language, widget, token, drawn_lines)
        control = isinstance(widget, Button) or type(widget).__name__ in ("Choice", "Key")
        if touch and control and screen.region.contains_region(region):
            assert region.height >= 3 and region.width >= 10, (where, widget, region)
    if language != "en":
        text = "\n".join(
            line for widget in shown
            if every_widget or isinstance(widget, Button | Static | Choice)
            for line in _drawn_lines(widget))
        found = english_on(text, data)
        assert found is None, (where, language, found)
        # Wide characters occupy two cells each: the screen's text never runs
        # past the edge because of them.
        for line in text.splitlines():
            cells = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
            assert cells <= width, (where, line)
