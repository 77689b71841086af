"""Markdown people write, rendered safely: formatting kept, anything that could run
code, load something or leave the allow-list dropped."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from upward.core.markdown import render_markdown

TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def test_formatting_lists_quotes_and_code_are_kept():
    html = render_markdown("Some *emphasis* and **weight**.\n\n- one\n- two\n\n> quoted\n\n`x = 1`")
    assert "<em>emphasis</em>" in html
    assert "<strong>weight</strong>" in html
    assert "<ul>\n<li>one</li>" in html
    assert "<blockquote>" in html
    assert "<code>x = 1</code>" in html


def test_the_result_is_safe_for_templates():
    assert isinstance(render_markdown("hi"), SafeString)
    assert render_markdown("   ") == ""


def test_headings_start_below_the_pages_own():
    html = render_markdown("# Top\n\n## Second\n\n##### Deep")
    assert "<h3>Top</h3>" in html
    assert "<h4>Second</h4>" in html
    assert "<h6>Deep</h6>" in html
    assert "<h1>" not in html
    assert "<h2>" not in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "Hello <script>alert(1)</script> there",
        "<img src=x onerror=alert(1)>",
        '<a href="https://x.example" onclick="alert(1)">x</a>',
        "<div style='position:fixed'>cover</div>",
        "<iframe src='https://evil.example'></iframe>",
        "<!-- a comment -->",
    ],
)
def test_raw_html_never_comes_through(text):
    html = render_markdown(text)
    assert TAG.findall(html) == ["<p>", "</p>"]  # the rest is shown as text, escaped
    assert "<!--" not in html


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox)",
        "[x](/relative/path)",
        "<javascript:alert(1)>",
    ],
)
def test_links_other_than_http_https_and_mailto_lose_their_address(link):
    html = render_markdown(link)
    assert "href" not in html
    assert "javascript" not in html.lower() or "<a" not in html


def test_web_and_mail_links_are_kept_with_nofollow():
    html = render_markdown("[pr](https://git.example/pr/1) and [me](mailto:me@example.com)")
    assert '<a href="https://git.example/pr/1" rel="nofollow noopener">pr</a>' in html
    assert 'href="mailto:me@example.com"' in html


def test_images_are_dropped():
    html = render_markdown("![a chart](https://tracker.example/pixel.png)")
    assert "<img" not in html
    assert "tracker.example" not in html


def test_the_template_filter_renders_and_accepts_none():
    template = Template("{% load markdown %}{{ text|markdown }}|{{ missing|markdown }}")
    out = template.render(Context({"text": "**bold** <b>raw</b>", "missing": None}))
    assert out == "<p><strong>bold</strong> &lt;b&gt;raw&lt;/b&gt;</p>\n|"
