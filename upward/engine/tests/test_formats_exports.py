from __future__ import annotations

from upward.engine.formats import htmlmatrix, markdown
from upward.engine.framework import FrameworkDocument
from upward.engine.tests.conftest import minimal


def hostile() -> FrameworkDocument:
    doc = minimal(name="<script>alert(1)</script>")
    doc["competencies"][0]["name"] = "Code & <b>bold</b>"
    doc["expectations"][0].update(
        summary="[click](javascript:evil) <img src=x>", signals=["# not a heading"]
    )
    return FrameworkDocument.model_validate(doc)


def test_markdown_has_a_section_per_competency_area_and_per_level(orbit):
    text = markdown.write(orbit)
    assert text.startswith("# Orbit Instruments\n")
    assert "### Delivery" in text
    assert "## Track: Management" in text
    assert "### M1 Team Lead" in text
    assert "#### Calibration (Practising, optional)" in text
    assert "| 0 |" not in text  # no points table without a points rule


def test_markdown_makes_content_inert():
    text = markdown.write(hostile())
    assert "<script>" not in text
    assert "\\[click\\](javascript:evil) \\<img src=x\\>" in text
    assert "- \\# not a heading" in text


def test_html_is_one_standalone_escaped_page(orbit):
    page = htmlmatrix.write(orbit)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert "src=" not in page
    assert "href=" not in page
    assert "default-src 'none'" in page
    assert page.count("<table>") == 2
    assert "<th>M1 Team Lead</th>" in page


def test_html_escapes_everything_from_the_document():
    page = htmlmatrix.write(hostile())
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Code &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<img" not in page


def test_markdown_escapes_code_fences_and_table_pipes_in_framework_text():
    text = md_of_lines(["~~~", "<b>raw</b>", "```js", "a | b", "Heading", "==="])
    assert not any(line.startswith(("~~~", "```", "===")) for line in text.splitlines())
    assert "\\~\\~\\~" in text
    assert "a \\| b" in text


def md_of_lines(lines: list[str]) -> str:
    return markdown.md("\n".join(lines))
