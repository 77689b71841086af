"""A promotion packet as HTML: for the pages, as a self-contained document, and as a PDF.

`shown(doc)` prepares the packet for a template (Markdown rendered safely through
`upward.core.markdown`); `evidence/packet_body.html` lays it out, both inside the site's
pages and in `evidence/packet_document.html`, the document downloaded as HTML and
printed to PDF. The document carries its style inline, runs no script and refers to
nothing outside itself: links to artefacts are written out as text, so opening it
fetches nothing and tells no site that it was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from upward.engine.packet import PacketDoc, Proof, Quote, Section

__all__ = [
    "STATUS_LABELS",
    "ShownPacket",
    "filename",
    "packet_html",
    "packet_pdf",
    "shown",
]

STATUS_LABELS = {
    "met": "Met",
    "unconfirmed": "Unconfirmed",
    "gap": "Gap",
    "unassessed": "Unassessed",
}
QUESTION_LABELS = {
    "consistent_at": "Where they operate consistently",
    "biggest_gap": "The biggest gap",
}
# An anchor as the sanitiser leaves it: <a href="..." rel="...">text</a>.
_ANCHOR = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)


@dataclass
class ShownProof:
    proof: Proof
    impact: SafeString
    body: SafeString


@dataclass
class ShownSection:
    section: Section
    anchor: str
    status_label: str
    proof: list[ShownProof] = field(default_factory=list)
    consistent: list[Quote] = field(default_factory=list)
    gaps: list[Quote] = field(default_factory=list)


@dataclass
class ShownPacket:
    """The packet ready for `evidence/packet_body.html`."""

    doc: PacketDoc
    summary: SafeString
    sections: list[ShownSection]
    linked: bool  # whether links are live (pages) or written out (documents)

    @property
    def readiness_percent(self) -> int:
        return round(self.doc.readiness * 100)

    def anchor_of(self, key: str) -> str:
        return f"competency-{slugify(key)}"


def shown(doc: PacketDoc, *, linked: bool = True) -> ShownPacket:
    """The packet with its Markdown rendered; links live, or (`linked=False`) as text."""

    def text(markdown: str) -> SafeString:
        return _markdown(markdown, linked=linked)

    return ShownPacket(
        doc=doc,
        summary=text(doc.summary),
        sections=[
            ShownSection(
                section=s,
                anchor=f"competency-{slugify(s.key)}",
                status_label=STATUS_LABELS.get(s.status, s.status.title()),
                proof=[ShownProof(p, text(p.impact), text(p.body)) for p in s.proof],
                consistent=[q for q in s.quotes if q.question == "consistent_at"],
                gaps=[q for q in s.quotes if q.question != "consistent_at"],
            )
            for s in doc.sections
        ],
        linked=linked,
    )


def _markdown(text: str, *, linked: bool) -> SafeString:
    from upward.core.markdown import render_markdown

    html = str(render_markdown(text))
    if linked:
        return mark_safe(html)  # noqa: S308 (sanitised by render_markdown)
    return mark_safe(_ANCHOR.sub(_written_out, html))  # noqa: S308 (sanitised, then only tags removed)


def _written_out(match: re.Match[str]) -> str:
    """A link as text: what it says, then its address (already escaped by the sanitiser)."""
    href, label = match.group(1), match.group(2)
    if re.sub(r"<[^>]+>", "", label) == href:
        return f'<span class="url">{label}</span>'
    return f'{label} (<span class="url">{href}</span>)'


def packet_html(doc: PacketDoc) -> str:
    """The packet as one self-contained HTML5 document: inline style, no script, no
    outside reference, and a table of contents linking to each section."""
    return _document(doc, pdf=False)


def packet_pdf(doc: PacketDoc) -> bytes:
    """The packet as a PDF: a table of contents with page numbers, and each page
    numbered "Page N of M". System fonts only; nothing is fetched."""
    from weasyprint import HTML  # heavy, and only needed here

    return bytes(HTML(string=_document(doc, pdf=True), url_fetcher=_fetch_nothing).write_pdf())


def _fetch_nothing(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"A packet refers to nothing outside itself: {escape(url)}")


def _document(doc: PacketDoc, *, pdf: bool) -> str:
    return render_to_string(
        "evidence/packet_document.html", {"packet": shown(doc, linked=pdf), "pdf": pdf}
    )


def filename(doc: PacketDoc, extension: str) -> str:
    """A download's name: `promotion-packet-<person>-<target level>-<day>.<extension>`."""
    parts = [doc.person, doc.target_level, f"{doc.generated_on:%Y-%m-%d}"]
    stem = "-".join(p for p in (slugify(part) for part in parts) if p)
    return f"promotion-packet-{stem}.{extension}"
