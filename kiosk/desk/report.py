"""A series' progress report, for the client's physician or insurer: one
self-contained HTML file (inline CSS, an inline SVG chart of pain on the
fixed 0-10 scale), laid out to print on A4 and on Letter, in the clinic's
language. Every value in it is escaped: a name is text, never markup.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.checkin.record import client_name
from kiosk.content.model import Meaningful, Question
from kiosk.desk.progress import (
    PAIN_SCALE,
    Session,
    change_sentence,
    crossed,
    pain_trend,
    scale_title,
    sessions,
)
from kiosk.i18n import Words, language_name

CSS = """
@page { margin: 14mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.35 system-ui, sans-serif; color: #000; background: #fff; margin: 0;
       max-width: 182mm; }
h1 { font-size: 15pt; margin: 0 0 2mm; }
h2 { font-size: 11.5pt; margin: 5mm 0 2mm; }
p { margin: 0 0 2mm; }
.meta { color: #333; }
.change { font-weight: bold; border-left: 1.2mm solid #000; padding-left: 3mm; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { text-align: left; padding: 0.8mm 2mm; border-bottom: 0.2mm solid #999; }
th { border-bottom: 0.4mm solid #000; }
tr { break-inside: avoid; }
svg { width: 100%; height: auto; }
footer { margin-top: 5mm; font-size: 8.5pt; color: #333; }
"""


@dataclass(frozen=True)
class ReportSetup:
    """What a report needs besides the series: the clinic's questions, its
    threshold for a meaningful change, its name and language, and where
    reports go unless told."""

    questions: Sequence[Question]
    rule: Meaningful
    clinic: str
    language: str
    export_dir: Path

    def default_path(self, series_id: str, made: datetime) -> Path:
        return self.export_dir / f"report-{series_id[:8]}-{made:%Y%m%d-%H%M%S}.html"


BAR = 10.0
"""Height of one session's bar in the SVG, in its own units."""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _day(row: Session) -> str:
    """A session's day as 2026-11-03: read alike in every language."""
    return row.on.isoformat() if row.on is not None else row.day


def _chart(rows: Sequence[Session], marked: set[int], words: Words) -> str:
    """Pain per session as horizontal bars on the fixed 0-10 scale, each with
    its figure written beside it (and ◆ where the change is meaningful)."""
    _ = words._
    low, high = PAIN_SCALE
    width, left, scale_width = 600.0, 90.0, 420.0
    height = 24 + len(rows) * (BAR + 4)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
             f'role="img" aria-label="{_e(scale_title(words))}">']
    for tick in range(low, high + 1, 2):
        x = left + scale_width * tick / high
        parts.append(f'<line x1="{x:.1f}" y1="14" x2="{x:.1f}" y2="{height - 4:.0f}" '
                     'stroke="#bbb" stroke-width="0.5"/>')
        parts.append(f'<text x="{x:.1f}" y="10" font-size="8" '
                     f'text-anchor="middle">{tick}</text>')
    for index, row in enumerate(rows):
        y = 20 + index * (BAR + 4)
        parts.append(f'<text x="0" y="{y + BAR - 2:.1f}" font-size="8">{row.number}. '
                     f'{_e(_day(row))}</text>')
        if row.pain is None:
            said = _("no score")
        else:
            length = scale_width * row.pain / high
            parts.append(f'<rect x="{left}" y="{y:.1f}" width="{length:.1f}" height="{BAR}" '
                         'fill="#444"/>')
            said = f"{row.pain}/{high}" + (" ◆" if row.number in marked else "")
        parts.append(f'<text x="{left + scale_width + 8:.1f}" y="{y + BAR - 2:.1f}" '
                     f'font-size="8">{_e(said)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def report_html(records: Sequence[Mapping[str, Any]], questions: Sequence[Question],
                rule: Meaningful, *, clinic: str, words: Words, made: datetime) -> str:
    """The report of one series (its check-ins, in session order)."""
    _ = words._
    rows = sessions(records, questions, words)
    change = pain_trend(rows, rule)
    marked = crossed(rows, rule)
    who = client_name(records[0]) if records else ""
    statement = (_("Not enough sessions with a pain score to say how it changed.")
                 if change is None else change_sentence(change, words))
    title = _("Progress report")
    client, count = _("Client"), _("Sessions")
    when = _("Made {when}", when=words.day_time(made.astimezone()))
    threshold = _("A change counts as meaningful at {points} points or more and {share} or "
                  "more of the first score (Farrar et al., Pain 94:149, 2001).",
                  points=rule.points, share=f"{rule.percent}%")
    heads = (_("Session"), _("Date"), _("Pain"), _("Since last"), _("At home"))
    footer = _("Made by the clinic check-in kiosk from the client's own answers at each "
               "check-in.")
    table = "".join(
        f"<tr><td>{row.number}</td><td>{_e(_day(row))}</td>"
        f"<td>{'—' if row.pain is None else row.pain}</td><td>{_e(row.since_last)}</td>"
        f"<td>{_e(row.at_home)}</td></tr>" for row in rows)
    body = [
        f"<h1>{_e(title)}: {_e(clinic)}</h1>",
        f'<p class="meta">{_e(client)}: <strong>{_e(who)}</strong> · {_e(count)}: '
        f"{len(rows)} · {_e(when)}</p>",
        f'<p class="change">{_e(statement)}</p>',
        f'<p class="meta">{_e(threshold)}</p>',
        f"<h2>{_e(scale_title(words))}</h2>",
        _chart(rows, marked, words),
        f"<h2>{_e(count)}</h2>",
        "<table><thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in heads) + "</tr></thead>",
        f"<tbody>{table}</tbody></table>",
        f"<h2>{_e(_('Consent'))}</h2>",
        _consents(records, words),
        f"<footer>{_e(footer)}</footer>",
    ]
    return (f'<!DOCTYPE html>\n<html lang="{_e(words.language)}"><head><meta charset="utf-8">'
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")


def _consents(records: Sequence[Mapping[str, Any]], words: Words) -> str:
    _ = words._
    seen: dict[str, str] = {}
    for record in records:
        for agreed in record.get("consents", []):
            title = agreed.get("title") or agreed.get("document", "")
            seen.setdefault(agreed["version"], _(
                "{title}, version {version} ({language}), first agreed {day}", title=title,
                version=agreed["version"][:8],
                language=language_name(str(agreed.get("language", ""))),
                day=str(agreed.get("at", ""))[:10]))
    if not seen:
        return f"<p>{_e(_('Consent given at each visit; the text was not recorded.'))}</p>"
    return "<ul>" + "".join(f"<li>{_e(line)}</li>" for line in seen.values()) + "</ul>"
