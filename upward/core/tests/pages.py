"""What page tests share: reading a response's text, and the no-inline-code check."""

from __future__ import annotations

import re
from html import unescape

HTMX = {"HTTP_HX_REQUEST": "true"}

# An attribute like style="..." or onclick="..." inside a tag.
INLINE_STYLE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style\b[^>]*>", re.IGNORECASE)


def assert_no_inline_code(response) -> None:
    """No inline style attributes or event handlers; scripts are files or data."""
    html = response.content.decode()
    assert not INLINE_STYLE.search(html), INLINE_STYLE.search(html).group(0)  # type: ignore[union-attr]
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html).group(0)  # type: ignore[union-attr]
    for tag in SCRIPT_TAG.findall(html):
        # A <script> either loads a file or holds JSON data for one (allauth does that).
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert STYLE_TAG.findall(html) == []


def text(response) -> str:
    """The page's HTML with entities decoded."""
    return unescape(response.content.decode())


def words(response) -> str:
    """What the page says: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split())
