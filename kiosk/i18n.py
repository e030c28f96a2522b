"""The program's own words in every language the kiosk offers.

Its words are written in English in the code, marked for extraction, and
translated in gettext catalogs: `kiosk/locale/<language>/LC_MESSAGES/kiosk.po`,
extracted and compiled to `.mo` with Babel (README: "Languages"). A clinic's
own texts (walkthrough, questions, aftercare) are not here: they are in
`content/<language>/`.

The domain never builds a sentence for a client: it returns a `Msg`, an id
and its values, and a screen says it with the `Words` of the language the
client picked. A catalog is read when its language is first used (the kiosk
does that in a worker after its first screen); times are formatted by
Babel's locale data (imported at first use, too), never by the machine's
locale.
"""

from __future__ import annotations

import gettext
import string
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).parent / "locale"
"""The compiled catalogs: `<language>/LC_MESSAGES/kiosk.mo`, beside their `.po`."""
DOMAIN = "kiosk"
SOURCE_LANGUAGE = "en"
"""The language the program's words are written in: it needs no catalog."""

LANGUAGE_NAMES = {"en": "English", "es": "Español", "zh": "中文"}
"""Each language in its own name, as the picker on Welcome shows it. Known
here so that Welcome needs no locale data; any other code is named by Babel."""


@dataclass(frozen=True)
class Msg:
    """Something the domain tells a client: a message id (its English words,
    with `{name}` fields) and the values of its fields. A value may itself be
    a `Msg`, or a list of them, said in the same language."""

    id: str
    values: Mapping[str, Any] = field(default_factory=dict)
    verbatim: bool = False
    """The id is someone's own text (a name, a clinic's label): never translated."""

    def english(self) -> str:
        """The message in the program's own words."""
        return ENGLISH.say(self)


def msg(message: str, **values: Any) -> Msg:
    """A message with its values, to be said in the client's language."""
    return Msg(message, values)


def N_(message: str) -> str:
    """Marks `message` for the catalogs where it is defined (a table of
    labels, say); it is translated where it is shown, with `Words._`."""
    return message


def NP_(context: str, message: str) -> str:
    """`N_` for a message whose words mean something else elsewhere ("Done":
    a button that ends a visit, and a status); shown with `Words.p_`."""
    return message


def text(words: str) -> Msg:
    """Text that is said as it is: a client's name, a label from the content."""
    return Msg(words, verbatim=True)


def listed(items: Iterable[Msg]) -> Msg:
    """Answers in a row, joined as the client's language joins them."""
    return Msg("{items}", {"items": list(items)})


def fields_of(message: str) -> set[str]:
    """The `{name}` fields a message has: a translation must have the same."""
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


class Words:
    """One language's program words, and its way of writing times and lists."""

    def __init__(self, language: str, translations: gettext.NullTranslations) -> None:
        self.language = language
        self._translations = translations

    def _(self, message: str, **values: Any) -> str:
        """`message` in this language, its `{fields}` filled in."""
        said = self._translations.gettext(message)
        return said.format(**values) if values else said

    def p_(self, context: str, message: str, **values: Any) -> str:
        """`message` as it is meant in `context` ("status"), in this language."""
        said = self._translations.pgettext(context, message)
        return said.format(**values) if values else said

    def n_(self, singular: str, plural: str, count: int, **values: Any) -> str:
        """A counting message in this language's plural form for `count`."""
        said = self._translations.ngettext(singular, plural, count)
        return said.format(count=count, **values)

    def say(self, message: Msg | str) -> str:
        """A domain's message in this language; a plain str is said as it is."""
        if isinstance(message, str):
            return message
        if message.verbatim:
            return message.id
        values = {name: self._value(value) for name, value in message.values.items()}
        return self._(message.id, **values)

    def _value(self, value: Any) -> Any:
        if isinstance(value, Msg):
            return self.say(value)
        if isinstance(value, list | tuple):
            return self.list(self.say(item) for item in value)
        return value

    def list(self, items: Iterable[str]) -> str:
        """Answers in a row: "Neck, Feet"; "颈部、足部"."""
        # Translators: what goes between the items of a list of answers.
        return self._(", ").join(items)

    def time(self, moment: datetime) -> str:
        """A time of day as this language writes it ("14:05", "2:05 PM")."""
        from babel.dates import format_time

        return format_time(moment, "short", locale=self._locale)

    def clock(self, moment: datetime) -> str:
        """A time on the 24-hour clock, as staff read it: "14:05"."""
        from babel.dates import format_skeleton

        return format_skeleton("Hm", moment, locale=self._locale)

    def day(self, on: date, *, year: bool = True) -> str:
        """A day as this language writes it: "Nov 3, 2026", "3 nov 2026",
        "2026年11月3日" (without `year`: "Nov 3")."""
        from babel.dates import format_skeleton

        return format_skeleton("yMMMd" if year else "MMMd", on, locale=self._locale)

    def day_time(self, moment: datetime) -> str:
        """A day and a time: "Nov 3, 2026 14:05"."""
        return self._("{day} {time}", day=self.day(moment.date()), time=self.clock(moment))

    def stamp(self, moment: datetime) -> str:
        """A day and a time to the second, in figures, as a log reads it:
        "11/3/2026 14:05:09", "3/11/2026 14:05:09", "2026/11/3 14:05:09"."""
        from babel.dates import format_skeleton

        return self._("{day} {time}", day=format_skeleton("yMd", moment, locale=self._locale),
                      time=format_skeleton("Hms", moment, locale=self._locale))

    def number(self, count: int) -> str:
        """A count with this language's grouping: "1,234", "1.234"."""
        from babel.numbers import format_decimal

        return format_decimal(count, locale=self._locale)

    @property
    def _locale(self) -> str:
        return self.language.replace("-", "_")


ENGLISH = Words(SOURCE_LANGUAGE, gettext.NullTranslations())
"""The program's words as written: the source language needs no catalog."""


class CatalogMissing(LookupError):
    """A language has no compiled catalog of the program's words, or one
    that can't be read; the message names the file."""


_DAMAGED = (OSError, ValueError, IndexError, struct.error)
"""What reading a damaged .mo raises (gettext: bad magic; struct: cut short)."""


def catalog_path(language: str, suffix: str = ".mo") -> Path:
    """Where a language's catalog is (`.po` to edit, `.mo` to read)."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def catalog_languages() -> tuple[str, ...]:
    """The languages that have a compiled catalog, and the source language."""
    found = sorted(path.parent.parent.name
                   for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (SOURCE_LANGUAGE, *found)


@cache
def words(language: str) -> Words:
    """The program's words in `language`, its catalog read on first use.

    Raises:
        CatalogMissing: the language has no catalog (`kiosk check-content`
            and the settings stop before that can happen on screen).
    """
    if language == SOURCE_LANGUAGE:
        return ENGLISH
    path = catalog_path(language)
    try:
        with path.open("rb") as catalog:
            translations = gettext.GNUTranslations(catalog)
    except FileNotFoundError:
        raise CatalogMissing(f"{path}: no catalog of the program's words in '{language}'") from None
    except _DAMAGED:
        raise CatalogMissing(f"{path}: can't be read (damaged: compile it again with "
                             "pybabel compile)") from None
    # A message the catalog lacks would show in English: check-content and
    # the suite make sure none is missing, and it is never shown blank.
    return Words(language, translations)


def language_name(language: str) -> str:
    """A language in its own name: "Español", "中文"."""
    known = LANGUAGE_NAMES.get(language)
    if known is not None:
        return known
    from babel import Locale
    from babel.core import UnknownLocaleError

    try:
        name = Locale.parse(language.replace("-", "_")).get_display_name(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return language
    return (name[:1].upper() + name[1:]) if name else language


def template_path() -> Path:
    """The template every catalog is made from: the program's messages."""
    return LOCALE_DIR / f"{DOMAIN}.pot"


def untranslated(language: str) -> list[str]:
    """The program's messages that `language`'s compiled catalog does not
    translate (every message, if it has no catalog); [] for the source."""
    if language == SOURCE_LANGUAGE:
        return []
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    with template_path().open("rb") as template:
        wanted = [(message.id, message.context) for message in read_po(template) if message.id]
    try:
        with catalog_path(language).open("rb") as compiled:
            catalog = read_mo(compiled)
    except _DAMAGED:
        return [message if isinstance(message, str) else message[0] for message, _ in wanted]
    missing = []
    for message_id, context in wanted:
        found = catalog.get(message_id, context=context)
        strings = (found.string if isinstance(found.string, tuple | list) else (found.string,)
                   ) if found is not None else ("",)
        if not all(strings):
            missing.append(message_id if isinstance(message_id, str) else message_id[0])
    return missing
