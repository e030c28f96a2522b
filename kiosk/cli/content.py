"""The content commands: `check-content`, `aftercare`, and `config`."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.content.tomltable import ContentError
from kiosk.settings import (
    Settings,
    without_password,
)

if TYPE_CHECKING:
    from kiosk.content.model import Content


def _check_content(settings: Settings, folder: Path | None) -> int:
    """The clinic's own language's folder (or `folder`), then every other
    language offered: each must ask the same questions with the same ids,
    and the program's words must be translated into it."""
    from kiosk.content.model import load_language
    from kiosk.i18n import catalog_path, untranslated

    if folder is not None and settings.languages:
        # One folder with a language in each of its subfolders: the content_dir.
        settings = replace(settings, content_dir=Path(folder))
        folder = None
    default = _check_folder(folder or settings.content_folder)
    for language in settings.offered_languages:
        if language == settings.language:
            continue
        folder = settings.content_folder_for(language)
        translated = load_language(folder, language, default)
        try:
            _check_folder(folder, translated)
        except ContentError as error:
            raise ContentError(error.path, f"in '{language}', {error.problem}") from None
        missing = untranslated(language)
        if missing:
            raise ContentError(catalog_path(language, ".po"), (
                f"in '{language}', no translation of the program's message {missing[0]!r}"
                + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")))
    if len(settings.offered_languages) > 1:
        print(f"Languages: {', '.join(settings.offered_languages)}: the same questions, and "
              "every program message translated.")
    from kiosk.web.qr import FITS_80X24_BYTES, longest_url

    others = [language for language in settings.offered_languages
              if language != settings.language]
    url = longest_url(settings.aftercare_url, default.rules.types, others,
                      at_home=default.followup is not None)
    if len(url.encode("utf-8")) > FITS_80X24_BYTES:
        print(f"Note: the longest aftercare address, {url}, is {len(url.encode('utf-8'))} "
              f"bytes: its QR code won't fit an 80x24 screen, which shows the address as "
              f"text instead (a code fits up to {FITS_80X24_BYTES}; shorten aftercare_url).")
    return 0


def _check_folder(folder: Path, content: Content | None = None) -> Content:
    from kiosk.content.model import load_content
    from kiosk.web.aftercare import aftercare_pages

    content = content or load_content(folder)
    pages = aftercare_pages(folder)
    print(
        f"{folder}: OK: {len(content.walkthrough.pages)} walkthrough pages, "
        f"{len(content.questions)} questions, {len(content.rules.recommend)} "
        f"recommendation rules, {len(content.rules.flags)} flags, "
        f"{len(pages)} aftercare pages."
    )
    if content.followup is None:
        print("No followup.toml: Welcome offers the first visit only.")
    else:
        print(f"Follow-up visit: {len(content.followup.questions)} questions, "
              f"{len(content.followup.rules.recommend)} recommendation rules, "
              f"{len(content.followup.rules.flags)} flags.")
    documents = {document.id: document for question in content.all_questions()
                 for document in question.documents}
    if documents:
        print("Consent documents: " + ", ".join(
            f"{document.id} (version {document.version[:8]})"
            for document in documents.values()) + ".")
    return content


def _aftercare(settings: Settings, args: dict[str, Any]) -> int:
    from kiosk.web.aftercare import build_sites

    if args["aftercare_command"] == "build":
        written = build_sites(settings, args["out"])
        print(f"Wrote {len(written)} pages to {args['out']}: host that folder at "
              f"{settings.aftercare_url}")
        return 0
    import contextlib
    import functools
    import http.server
    import signal
    import tempfile

    def stop(signum: int, frame: object) -> None:
        # A service manager's stop, or a closed terminal, ends it as ctrl+c
        # does: out through the `with`s below, so the built pages' folder
        # is removed rather than left in the temporary folder.
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    with (contextlib.suppress(KeyboardInterrupt),
          tempfile.TemporaryDirectory(prefix="kiosk-aftercare-") as folder):
        build_sites(settings, Path(folder))
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=folder)
        with http.server.ThreadingHTTPServer((args["host"], args["port"]), handler) as server:
            host, port = str(server.server_address[0]), server.server_address[1]
            print(f"Serving the aftercare pages at http://{host}:{port}/ (ctrl+c stops)",
                  flush=True)
            server.serve_forever()
    return 0


def _show_config(settings: Settings) -> int:
    for field in fields(Settings):
        if field.name != "sources":
            value = getattr(settings, field.name)
            if value is None:
                value = {"touch_keyboard": "auto (on for kiosk run, off for the demo)",
                         "retention_days": "off (keep every check-in)",
                         "database_url": "none (this data folder alone)",
                         "notify_webhook": "none (no notices to practitioners)"}[field.name]
            elif field.name == "database_url":
                value = without_password(value)  # Never a password on screen.
            elif field.name == "schedule":
                # Each source by name: a feed's query (its secret token) is never shown.
                value = (f"[{', '.join(json.dumps(source.name) for source in value)}]"
                         if value else "[] (no appointments)")
            elif field.name == "arrival_window":
                value = f"[{value[0]}, {value[1]}] (minutes before and after a booking's start)"
            elif field.name == "notify_webhook":
                value = without_password(value).split("?")[0]
            elif field.name == "languages":
                # As it is written in kiosk.toml.
                value = (f"[{', '.join(json.dumps(code) for code in value)}]" if value
                         else f"[{json.dumps(settings.language)}] (language alone: no picker)")
            print(f"{field.name} = {value!s}    ({settings.sources[field.name]})")
    return 0
