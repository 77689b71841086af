"""Markdown that people write (evidence, growth threads), rendered as safe HTML.

Two layers, so neither has to be perfect: markdown-it-py parses CommonMark with raw
HTML switched off (a `<script>` typed in the text comes out as text), then nh3, a
maintained sanitiser, keeps only an allow-list of tags and attributes. Links keep
only absolute http, https and mailto addresses (`upward.engine.links`) and open
with rel="nofollow noopener"; images are dropped, so a text can't make the reader's
browser fetch anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

from upward.engine.links import is_safe_link

ALLOWED_TAGS = {
    "p",
    "em",
    "strong",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "hr",
}
# A page gives the text its own heading, so the text's headings start at h3.
HEADING_SHIFT = 2

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _shifted_heading(
    renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    level = min(int(token.tag[1]) + HEADING_SHIFT, 6)
    token.tag = f"h{level}"
    return str(renderer.renderToken(tokens, idx, options, env))


_parser.add_render_rule("heading_open", _shifted_heading)
_parser.add_render_rule("heading_close", _shifted_heading)


def _only_safe_links(tag: str, attribute: str, value: str) -> str | None:
    """Drop an href that is not an absolute http, https or mailto address (relative
    ones too: the text may be shown on another site, in a packet)."""
    if attribute == "href" and not is_safe_link(value):
        return None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="nofollow noopener",
    attribute_filter=_only_safe_links,
    strip_comments=True,
)


def render_markdown(text: str) -> SafeString:
    """`text` as sanitised HTML; empty text gives an empty string."""
    if not text or not text.strip():
        return mark_safe("")
    html = _parser.render(text)
    return mark_safe(_cleaner.clean(html))  # noqa: S308 (sanitised by nh3 just above)
