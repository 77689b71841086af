"""`{% load markdown %}{{ text|markdown }}`: Markdown rendered safely (upward.core.markdown)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from upward.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    """The text as sanitised HTML."""
    return render_markdown(text or "")
