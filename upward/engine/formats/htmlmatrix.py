"""Write a framework as one standalone HTML page: a matrix per track.

Everything from the document is escaped; the page loads nothing from elsewhere
and its Content-Security-Policy allows only its own inline style.
"""

from __future__ import annotations

from html import escape

from upward.engine.framework import FrameworkDocument, Level

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem;color:#1d232b}
h1{margin-bottom:.2rem}table{border-collapse:collapse;margin:1rem 0 2rem;width:100%}
th,td{border:1px solid #c9d1da;padding:.5rem;vertical-align:top;text-align:left}
thead th{background:#eef2f6}th.area{background:#f7f9fb}td.none{color:#98a2ad}
.step{font-weight:600}.optional{font-style:italic;color:#5b6670}
ul{margin:.3rem 0;padding-left:1.1rem}
.meta{color:#5b6670}.label{font-size:.8rem;text-transform:uppercase;color:#5b6670;margin-top:.4rem}
"""


def write(framework: FrameworkDocument) -> str:
    """The framework as an HTML document (UTF-8 text)."""
    fw = framework
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
        " style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(fw.name)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(fw.name)}</h1>",
    ]
    if fw.description:
        parts.append(f"<p>{_text(fw.description)}</p>")
    if fw.attribution:
        a = fw.attribution
        bits = [escape(x) for x in (a.source, a.url, a.licence) if x]
        parts.append(f'<p class="meta">Source: {", ".join(bits)}</p>')
    for track in fw.tracks:
        parts += _track(fw, track.key)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _text(text: str) -> str:
    return escape(text.strip()).replace("\n", "<br>")


def _track(fw: FrameworkDocument, key: str) -> list[str]:
    track = fw.track(key)
    levels = fw.levels_of(key)
    head = "".join(f"<th>{escape(lv.label)}</th>" for lv in levels)
    rows = [
        f"<h2>{escape(track.name)}</h2>",
        "<table>",
        f"<thead><tr><th>Competency</th>{head}</tr></thead>",
        "<tbody>",
    ]
    for area in fw.areas:
        members = [c for c in fw.competencies if c.area == area.key]
        if not members:
            continue
        rows.append(
            f'<tr><th class="area" colspan="{len(levels) + 1}">{escape(area.name)}</th></tr>'
        )
        for c in members:
            cells = "".join(_cell(fw, c.key, lv) for lv in levels)
            rows.append(f"<tr><th>{escape(c.name)}</th>{cells}</tr>")
    return [*rows, "</tbody></table>"]


def _cell(fw: FrameworkDocument, competency: str, level: Level) -> str:
    e = fw.expectation(competency, level.key)
    if e is None:
        return '<td class="none">&ndash;</td>'
    out = []
    step = next((s.name for s in fw.competency(competency).scale if s.key == e.step), "")
    if step:
        out.append(f'<div class="step">{escape(step)}</div>')
    if e.optional:
        out.append('<div class="optional">optional</div>')
    if e.summary:
        out.append(f"<p>{_text(e.summary)}</p>")
    for title, items in (("Signals", e.signals), ("Examples", e.examples)):
        if items:
            entries = "".join(f"<li>{_text(i)}</li>" for i in items)
            out.append(f'<div class="label">{title}</div><ul>{entries}</ul>')
    return f"<td>{''.join(out)}</td>"
