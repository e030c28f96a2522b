"""MkDocs hook: the pictures the guides show are the suite's own snapshot
SVGs and screenshots, published from where the tests keep them (never
copied into docs/, so they can't drift)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
PICTURES = {
    "snapshots": ROOT / "tests" / "ui" / "__snapshots__" / "test_snapshots",
    "speech": ROOT / "tests" / "ui" / "__snapshots__" / "test_speech",
    "screenshots": ROOT / "tests" / "screenshots",
}


def on_files(files: Files, config: Any) -> Files:
    for published, folder in PICTURES.items():
        for path in sorted(folder.glob("*")):
            if path.suffix in (".svg", ".png"):
                files.append(File.generated(config, f"{published}/{path.name}",
                                            abs_src_path=str(path)))
    return files
