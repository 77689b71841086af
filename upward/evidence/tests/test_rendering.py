"""The packet as a self-contained HTML document and as a PDF."""

# The shared fixtures are imported by name, so tests naming them look like redefinitions.
# ruff: noqa: F811

from __future__ import annotations

import io
import re

import html5lib
import pytest
from pypdf import PdfReader

from upward.evidence.rendering import filename, packet_html, packet_pdf, shown
from upward.evidence.selectors.packets import packet_document
from upward.evidence.services.entries import update_entry
from upward.evidence.tests.test_packets_world import (  # noqa: F401 (fixtures)
    PAT_SAYS,
    REVIEWED,
    SHIPPED,
    packet,
    pat,
    world,
)

OUTSIDE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)  # an address with a scheme, or //


def outside_references(html: str) -> list[str]:
    """Every attribute of every element whose value points outside the document."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    return [
        f"{element.tag} {name}={value}"
        for element in tree.iter()
        for name, value in element.attrib.items()
        if name in {"src", "href", "action", "srcset", "poster", "data", "formaction"}
        and OUTSIDE.search(value)
    ]


@pytest.fixture
def doc(packet, world, alice):
    update_entry(
        entry=world["reviewed"],
        by=alice,
        body="<script>alert('x')</script> and a [link](https://example.com/review) and ![img](https://example.com/i.png)",
    )
    packet.summary = "I *own* the billing work. <img src=https://example.com/x.png>"
    return packet_document(packet)


def test_the_html_document_parses_without_a_single_error(doc):
    html = packet_html(doc)

    html5lib.HTMLParser(strict=True).parse(html)
    assert html.startswith("<!DOCTYPE html>")


def test_the_html_document_refers_to_nothing_outside_itself(doc):
    html = packet_html(doc)

    assert outside_references(html) == []
    assert "//" not in " ".join(re.findall(r'(?:src|href)="([^"]*)"', html))
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    assert "<img" not in html.lower()
    assert "url(" not in html
    assert "@import" not in html
    # Addresses are written out for the reader instead.
    assert "https://example.com/release-notes" in html
    assert "https://example.com/review" in html


def test_the_html_document_has_contents_linking_to_every_section(doc):
    html = packet_html(doc)

    targets = re.findall(r'<a href="#([^"]+)"', html)
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    assert targets[:3] == ["competency-shipping", "competency-reviews", "missing-proof"]
    assert set(targets) <= ids


def test_the_html_document_renders_markdown_safely(doc):
    html = packet_html(doc)

    assert "<strong>in bold</strong>" in html
    assert "<em>own</em>" in html
    assert "&lt;script&gt;" in html
    assert "alert(" not in html or "&lt;script&gt;alert(" in html


def test_the_html_document_holds_the_whole_packet(doc):
    html = packet_html(doc)

    for text in ["Shipping", "Reviews", SHIPPED, REVIEWED, PAT_SAYS, "Missing proof", "Bob"]:
        assert text in html, text
    assert "not demonstrated consistently" in html
    assert "<style>" in html


def test_pages_show_links_as_links(doc):
    packet = shown(doc)

    [proof] = [p for s in packet.sections if s.section.key == "reviews" for p in s.proof]
    assert '<a href="https://example.com/review" rel="nofollow noopener">link</a>' in proof.body


def test_the_pdf_has_every_competency_the_missing_proof_and_page_numbers(doc):
    pdf = PdfReader(io.BytesIO(packet_pdf(doc)))

    pages = [page.extract_text() for page in pdf.pages]
    text = "\n".join(pages)
    assert len(pages) >= 3
    for name in ["Shipping", "Reviews", "Missing proof", SHIPPED]:
        assert name in text, name
    assert "not demonstrated consistently" in text
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def test_the_pdf_contents_give_each_sections_page(doc):
    pdf = PdfReader(io.BytesIO(packet_pdf(doc)))

    contents = next(p.extract_text() for p in pdf.pages if "Contents" in p.extract_text())
    numbers = {
        name: int(re.search(rf"{name}[ .]*(\d+)", contents).group(1))  # type: ignore[union-attr]
        for name in ["Shipping", "Reviews", "Missing proof"]
    }
    assert numbers["Shipping"] < numbers["Reviews"] < numbers["Missing proof"] <= len(pdf.pages)
    assert "Shipping" in pdf.pages[numbers["Shipping"] - 1].extract_text()
    assert "Missing proof" in pdf.pages[numbers["Missing proof"] - 1].extract_text()


def test_a_download_is_named_after_the_person_level_and_day(doc):
    name = filename(doc, "pdf")

    assert re.fullmatch(r"promotion-packet-alice-l2-level-2-\d{4}-\d{2}-\d{2}\.pdf", name)
