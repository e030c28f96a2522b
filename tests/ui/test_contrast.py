"""Contrast, measured on every committed snapshot: each run of text against
the background drawn under it (4.5:1; 7:1 in the high-contrast theme), and
each control's edge against what is around it (3:1). Text dimmed behind an
open dialog is inactive, and exempt. The checker itself must fail on a
made-up screen that falls short."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from tests.support.contrast import contrast, luminance, measure
from tests.support.paths import ROOT

SNAPSHOTS = sorted((ROOT / "tests" / "ui" / "__snapshots__").rglob("*.svg"))
DIALOGS = ("save_failed", "still_there", "erase_confirm", "no_staff_pin")
"""Snapshots drawn with a dialog open: what is behind it is dimmed."""


def theme_of(path: Path) -> str:
    name = path.name
    for theme in ("high_contrast", "light", "large_text"):
        if f"-{theme}-" in name:
            return theme
    return "dark"


def test_the_measure_is_wcags() -> None:
    assert luminance("#ffffff") == pytest.approx(1.0)
    assert luminance("#000000") == 0.0
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WCAG's grey.


def made_up(tmp_path: Path, name: str, colour: str, background: str, text: str) -> Path:
    """A one-line screen in Rich's SVG shape: a background rect and a text run."""
    path = tmp_path / name
    path.write_text(f"""<svg><style>
    .terminal-r1 {{ fill: {colour} }}
    </style>
    <rect fill="{background}" x="0" y="1.5" width="122" height="24.65" shape-rendering="crispEdges"/>
    <text class="terminal-r1" x="0" y="20" textLength="122" clip-path="url(#terminal-line-0)">{text}</text>
    </svg>""", encoding="utf-8")
    return path


def test_the_checker_fails_a_made_up_low_contrast_screen(tmp_path: Path) -> None:
    short, lowest = measure(made_up(tmp_path, "grey.svg", "#777777", "#888888", "Next&#160;▶"))
    assert [str(s) for s in short] == ["grey.svg: 'Next ▶' is 1.26:1, needs 4.5:1"]
    assert lowest == pytest.approx(1.26, abs=0.01)
    # 5:1 passes in a normal theme, and fails in high-contrast.
    assert measure(made_up(tmp_path, "ok.svg", "#ffffff", "#6a6a6a", "OK"))[0] == []
    [short_hc] = measure(made_up(tmp_path, "x-high_contrast-80x24.svg", "#ffffff", "#6a6a6a",
                                 "OK"))[0]
    assert short_hc.needed == 7.0


def test_a_control_edge_needs_3_to_1_by_its_line_or_its_fill(tmp_path: Path) -> None:
    # `▊` is the outside's colour drawn over the edge's: edge #333 on black fails.
    svg = tmp_path / "edge.svg"
    svg.write_text("""<svg><style>
    .terminal-r1 { fill: #000000 }
    .terminal-r2 { fill: #e0e0e0 }
    </style>
    <rect fill="#333333" x="0" y="1.5" width="12.2" height="24.65" shape-rendering="crispEdges"/>
    <rect fill="#1a1a1a" x="12.2" y="1.5" width="122" height="24.65" shape-rendering="crispEdges"/>
    <text class="terminal-r1" x="0" y="20" textLength="12.2" clip-path="url(#terminal-line-0)">▊</text>
    <text class="terminal-r2" x="12.2" y="20" textLength="24.4" clip-path="url(#terminal-line-0)">OK</text>
    </svg>""", encoding="utf-8")
    [short] = measure(svg)[0]
    assert short.text == "▊" and short.needed == 3.0
    svg.write_text(svg.read_text().replace('fill="#333333"', 'fill="#7a848d"'))
    assert measure(svg)[0] == []


def test_every_committed_snapshot_meets_its_target() -> None:
    assert len(SNAPSHOTS) > 200
    short = []
    lowest: dict[str, float] = defaultdict(lambda: 21.0)
    for path in SNAPSHOTS:
        found, low = measure(path, dialog=any(name in path.name for name in DIALOGS))
        short.extend(found)
        lowest[theme_of(path)] = min(lowest[theme_of(path)], low)
    # The lowest ratio of any words, theme by theme (pytest -s shows it).
    for theme, ratio in sorted(lowest.items()):
        print(f"lowest text contrast, {theme}: {ratio:.2f}:1")
    assert not short, "\n".join(str(s) for s in short[:40]) + f"\n({len(short)} in all)"
