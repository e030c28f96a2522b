"""Where the program's own files are: the content shipped with it."""

from __future__ import annotations

from pathlib import Path


def default_content_dir() -> Path:
    """The content shipped with the kiosk: inside the wheel, or ./content."""
    package = Path(__file__).resolve().parent
    bundled = package / "_content"
    return bundled if bundled.is_dir() else package.parent / "content"


FOLLOWUP_FILE = "followup.toml"
"""The follow-up questionnaire in a content folder; without it, Welcome
offers the first visit only."""
