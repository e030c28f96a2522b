"""Config file, environment and flags into one frozen Settings object."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import platformdirs

from kiosk.content.tomltable import control_characters
from kiosk.paths import default_content_dir

if TYPE_CHECKING:
    from kiosk.schedule.model import Source

APP_NAME = "clinic-kiosk"
CONFIG_FILE = "kiosk.toml"
ENV_CONFIG = "KIOSK_CONFIG"
ENV_DATA_DIR = "KIOSK_DATA_DIR"
ENV_DATABASE_URL = "KIOSK_DATABASE_URL"


class SettingsError(Exception):
    """The config file is wrong; the message names the file and the key."""


@dataclass(frozen=True)
class Settings:
    """Everything the kiosk is configured with, after every source is read."""

    clinic_name: str = "Riverside Massage Clinic"
    """Shown on the welcome screen and at the top of every screen."""
    aftercare_url: str = "https://www.example.com/aftercare"
    """The aftercare pages; the QR code opens `<aftercare_url>/<type>`."""
    result_seconds: int = 90
    """How long the result screen stays before returning to Welcome."""
    idle_seconds: int = 60
    """Mid-visit, how long without a tap before "Are you still there?"."""
    idle_warning_seconds: int = 20
    """How long "Are you still there?" counts down before the visit is wiped."""
    theme: str = "dark"
    """"dark", "light" or "high-contrast"."""
    text_size: str = "normal"
    """"normal" or "large": the large layout (one answer a row, bigger
    controls, more space); the glyphs' size is the terminal's or browser's."""
    touch_keyboard: bool | None = None
    """An on-screen keyboard for names; None: on for `kiosk run`, off for the demo."""
    language: str = "en"
    """The clinic's language: Welcome shows it, staff read check-ins in it.
    "en" is `content/`, any other is `content/<language>/`."""
    languages: tuple[str, ...] = ()
    """The languages a client may pick on Welcome, in the picker's order;
    empty: `language` alone, and no picker."""
    retention_days: int | None = None
    """Check-ins older than this many days are erased at start; None keeps all."""
    database_url: str | None = None
    """A PostgreSQL server shared by several machines
    (`postgresql://user:password@host/database`); None: this folder alone."""
    site: str = "main"
    """Which of a chain's clinics this machine is at, stored on every check-in."""
    local_keep_days: int = 7
    """With a database, how long a kiosk keeps its own copy of a check-in
    once delivered."""
    schedule: tuple[Source, ...] = ()
    """Where the day's appointments come from: files and feed URLs (empty:
    no appointments; the kiosk asks nothing more after the name)."""
    schedule_refresh_minutes: int = 15
    """How often feeds are read again, in the background."""
    arrival_window: tuple[int, int] = (60, 30)
    """A client may check in from this many minutes before a booking's
    start to this many after it."""
    late_after: int = 10
    """Minutes past its start when a booking nobody has arrived for is late."""
    notify_webhook: str | None = None
    """A URL each arrival is POSTed to (JSON) for the practitioner."""
    consent_signature: str = "tap"
    """"tap": agreeing is the tap on the consent box; "typed": the client
    also types their full name as a signature."""
    notify_bell: bool = False
    """The front desk's app rings its bell at each arrival with a booking."""
    read_aloud: bool = False
    """Every client page has a "Read aloud" control (espeak-ng)."""
    speech_private: bool = False
    """Speech may say what the client typed or chose (the kiosk has
    headphones); otherwise only the prompts and the choices offered."""
    data_dir: Path = field(default_factory=lambda: default_data_dir())
    """Where check-ins are saved."""
    export_dir: Path = field(default_factory=lambda: default_export_dir())
    """Where the staff screen saves exports."""
    content_dir: Path = field(default_factory=default_content_dir)
    """The folder of walkthrough, questionnaire and rules files."""
    demo: bool = False
    """A demo: shows the DEMO mark; data lives in a temporary folder."""
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Setting name to where its value came from, for `kiosk config`."""

    @property
    def content_folder(self) -> Path:
        """The content in `language`: `content_dir` itself for "en"."""
        return self.content_folder_for(self.language)

    def content_folder_for(self, language: str) -> Path:
        """The content in one language: `content_dir` itself for "en"."""
        return self.content_dir if language == "en" else self.content_dir / language

    @property
    def offered_languages(self) -> tuple[str, ...]:
        """What Welcome offers, the clinic's own language among them."""
        return self.languages or (self.language,)


# What a config file may set, with its type and a check of the value.
_FILE_KEYS: dict[str, tuple[type, str]] = {
    "clinic_name": (str, "text"),
    "aftercare_url": (str, "text"),
    "result_seconds": (int, "a whole number"),
    "idle_seconds": (int, "a whole number"),
    "idle_warning_seconds": (int, "a whole number"),
    "theme": (str, "text"),
    "text_size": (str, "text"),
    "touch_keyboard": (bool, "true or false"),
    "language": (str, "text"),
    "languages": (list, "a list of language codes, such as [\"en\", \"es\"]"),
    "retention_days": (int, "a whole number of days"),
    "database_url": (str, "text"),
    "site": (str, "text"),
    "local_keep_days": (int, "a whole number of days"),
    "schedule": (list, "a list of sources, such as [{ url = \"https://...\" }]"),
    "schedule_refresh_minutes": (int, "a whole number of minutes"),
    "arrival_window": (list, "[minutes before, minutes after], such as [60, 30]"),
    "late_after": (int, "a whole number of minutes"),
    "notify_webhook": (str, "text"),
    "notify_bell": (bool, "true or false"),
    "read_aloud": (bool, "true or false"),
    "speech_private": (bool, "true or false"),
    "consent_signature": (str, "text"),
    "data_dir": (str, "text"),
    "export_dir": (str, "text"),
    "content_dir": (str, "text"),
}


def default_data_dir() -> Path:
    """The platform's user data folder for the kiosk."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_export_dir() -> Path:
    """The user's documents folder, in a folder of the kiosk's own."""
    return Path(platformdirs.user_documents_dir()) / "clinic-kiosk-exports"


def default_config_path() -> Path:
    """The platform's user config file for the kiosk."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILE


# The QR code is drawn with error correction L: version 4 (33 modules, 41x21
# cells with its quiet zone) is the largest that fits beside the text at
# 80x24, and holds 78 bytes: the URL, a slash, and a type id of up to 20.
MOST_URL_BYTES = 78 - 1 - 20

MOST_LANGUAGE_CODE = 8
"""Language codes go into the QR code's URL too: "es", "zh", "pt-BR"."""

THEMES = ("dark", "light", "high-contrast")
TEXT_SIZES = ("normal", "large")
_RANGES = {
    "result_seconds": (5, 3600),
    "idle_seconds": (10, 3600),
    "idle_warning_seconds": (5, 300),
    "retention_days": (1, 36500),
    "local_keep_days": (1, 3650),
    "schedule_refresh_minutes": (1, 1440),
    "late_after": (0, 240),
}
MOST_SITE = 40
"""A site's name is shown in the staff app's filter and in exports."""
_CHOICES = {"theme": THEMES, "text_size": TEXT_SIZES, "consent_signature": ("tap", "typed")}


def _of_type(value: Any, kind: type) -> bool:
    # bool is an int in Python; TOML keeps them apart, and so do we.
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def _check_value(path: Path, key: str, value: Any) -> Any:
    kind, noun = _FILE_KEYS[key]
    if not _of_type(value, kind):
        raise SettingsError(f"{path}: '{key}' must be {noun}, not {value!r}")
    if isinstance(value, str) and control_characters(value):
        raise SettingsError(f"{path}: '{key}' holds a control character (such as ESC)")
    if key == "aftercare_url":
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SettingsError(f"{path}: 'aftercare_url' must start with https:// or http://")
        if any(char.isspace() for char in value):
            raise SettingsError(f"{path}: 'aftercare_url' must not hold spaces")
        if len(value.rstrip("/").encode("utf-8")) > MOST_URL_BYTES:
            raise SettingsError(
                f"{path}: 'aftercare_url' is too long for a QR code that fits an 80x24 "
                f"screen: at most {MOST_URL_BYTES} characters")
    if key in _RANGES:
        low, high = _RANGES[key]
        if not low <= value <= high:
            raise SettingsError(f"{path}: '{key}' must be between {low} and {high}")
    if key in _CHOICES and value not in _CHOICES[key]:
        choices = ", ".join(f'"{choice}"' for choice in _CHOICES[key])
        raise SettingsError(f"{path}: '{key}' must be one of {choices}, not {value!r}")
    if key == "language" and not _language_code(value):
        raise SettingsError(f"{path}: 'language' must be a code such as \"en\" or \"fr\"")
    if key == "language":
        _translated(path, key, value)
    if key == "languages":
        return _check_languages(path, value)
    if key == "clinic_name" and not value.strip():
        raise SettingsError(f"{path}: 'clinic_name' is empty")
    if key == "site" and not (value.strip() and len(value) <= MOST_SITE):
        raise SettingsError(f"{path}: 'site' must be a name of 1 to {MOST_SITE} characters")
    if key == "database_url":
        check_database_url(value, f"{path}: 'database_url'")
    if key == "schedule":
        return _check_schedule(path, value)
    if key == "arrival_window":
        if (len(value) != 2 or not all(_of_type(n, int) for n in value)
                or not all(0 <= n <= 720 for n in value)):
            raise SettingsError(f"{path}: 'arrival_window' must be [minutes before, minutes "
                                "after], each from 0 to 720, such as [60, 30]")
        return tuple(value)
    if key == "notify_webhook":
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(
                char.isspace() for char in value):
            raise SettingsError(f"{path}: 'notify_webhook' must be a URL starting with "
                                "https:// (or http://)")
    if key in ("data_dir", "content_dir", "export_dir"):
        return (path.parent / Path(value).expanduser()).resolve()
    return value


def _check_schedule(path: Path, value: list[Any]) -> tuple[Source, ...]:
    from kiosk.schedule.model import ScheduleError
    from kiosk.schedule.sources import source_from_setting

    sources = []
    for number, entry in enumerate(value, start=1):
        try:
            sources.append(source_from_setting(entry, f"'schedule' entry {number}", path.parent))
        except ScheduleError as error:
            raise SettingsError(f"{path}: {error}") from None
    names = [source.name for source in sources]
    if len(set(names)) != len(names):
        raise SettingsError(f"{path}: 'schedule' names one source twice")
    return tuple(sources)


def check_database_url(url: str, place: str) -> None:
    """A PostgreSQL URL, or `SettingsError` naming `place` (never the URL:
    it may hold a password)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises for a port that isn't a number)
    except ValueError:
        raise SettingsError(f"{place} is not a URL") from None
    if parts.scheme not in ("postgresql", "postgres"):
        raise SettingsError(f"{place} must start with postgresql://")
    if any(char.isspace() for char in url) or control_characters(url):
        raise SettingsError(f"{place} must not hold spaces or control characters")
    if not parts.path.strip("/") and "dbname=" not in parts.query:
        raise SettingsError(f"{place} names no database (postgresql://host/DATABASE)")


def without_password(url: str) -> str:
    """The URL with its password (in the URL or its query) shown as ***."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}:***@{host}"
    query = "&".join(
        f"{name}=***" if name == "password" else pair
        for pair in parts.query.split("&") if pair
        for name in [pair.partition("=")[0]])
    return parts._replace(netloc=netloc, query=query).geturl()


def _language_code(value: Any) -> bool:
    return (isinstance(value, str) and 0 < len(value) <= MOST_LANGUAGE_CODE and value.isascii()
            and value.replace("-", "").isalnum())


def _check_languages(path: Path, value: list[Any]) -> tuple[str, ...]:
    if not value:
        raise SettingsError(f"{path}: 'languages' is empty: list at least the clinic's language")
    for code in value:
        if not _language_code(code):
            raise SettingsError(
                f"{path}: 'languages' must list codes such as \"en\" or \"es\", not {code!r}")
    if len(set(value)) != len(value):
        raise SettingsError(f"{path}: 'languages' names a language twice")
    for code in value:
        _translated(path, "languages", code)
    return tuple(value)


def _translated(path: Path, key: str, code: str) -> None:
    """A language the kiosk speaks must have its catalog: a screen with a
    clinic's texts in one language and the buttons in another is refused."""
    from kiosk.i18n import catalog_languages, catalog_path

    if code not in catalog_languages():
        raise SettingsError(
            f"{path}: '{key}' names '{code}', but the program's words have no "
            f"translation into it ({catalog_path(code, '.po')} is missing)")


def read_config(path: Path) -> dict[str, Any]:
    """The settings a config file sets, checked."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{path}: the config file is missing") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: is not UTF-8 text") from None
    except OSError as error:
        raise SettingsError(f"{path}: cannot be read ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: is not valid TOML ({error})") from None
    unknown = sorted(set(data) - set(_FILE_KEYS))
    if unknown:
        raise SettingsError(f"{path}: unknown setting '{unknown[0]}'")
    values = {key: _check_value(path, key, value) for key, value in data.items()}
    offered = values.get("languages")
    if offered is not None and values.get("language", Settings.language) not in offered:
        raise SettingsError(
            f"{path}: 'languages' must include the clinic's own 'language' "
            f"(\"{values.get('language', Settings.language)}\")")
    return values


def load_settings(
    *,
    config: Path | None = None,
    data_dir: Path | None = None,
    content_dir: Path | None = None,
    demo: bool = False,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Defaults, then the config file, then the environment, then flags."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    sources = {f.name: "default" for f in fields(Settings) if f.name != "sources"}

    def take(new: Mapping[str, Any], source: str) -> None:
        for key, value in new.items():
            if value is not None:
                values[key] = value
                sources[key] = source

    if config is not None:
        take(read_config(config), str(config))
    elif ENV_CONFIG in environ:
        take(read_config(Path(environ[ENV_CONFIG])), f"{environ[ENV_CONFIG]} ({ENV_CONFIG})")
    elif default_config_path().is_file():
        take(read_config(default_config_path()), str(default_config_path()))
    if environ.get(ENV_DATA_DIR):
        take({"data_dir": Path(environ[ENV_DATA_DIR])}, ENV_DATA_DIR)
    if environ.get(ENV_DATABASE_URL):
        check_database_url(environ[ENV_DATABASE_URL], f"${ENV_DATABASE_URL}")
        take({"database_url": environ[ENV_DATABASE_URL]}, ENV_DATABASE_URL)
    take({"data_dir": data_dir, "content_dir": content_dir}, "command line")
    take({"demo": demo or None}, "command line")
    return replace(Settings(), **values, sources=sources)
