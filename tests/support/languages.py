"""What counts as English on a screen that should be translated."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from kiosk import i18n
from kiosk.content.model import default_content_dir, load_content


def _template_ids() -> set[str | tuple[str, str]]:
    with i18n.template_path().open("rb") as template:
        return {message.id for message in read_po(template) if message.id}


def _english_fragments() -> set[str]:
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
    return fragments


def _tokens(text: str) -> list[str]:
    """What must not be cut in two: each word of Latin text, each wide character."""
    tokens = []
    for word in text.split():
        runs = re.findall(r"[^\u2e80-\uffef]+|[\u2e80-\uffef]", word)
        tokens += [run for run in runs if run.strip()]
    return tokens
