"""The `tone` filter: every status, role and kind a badge shows maps to a tone
that css/badges.css styles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from upward.core.templatetags.tones import TONES, tone
from upward.engine.delta import Status

BADGES_CSS = Path(settings.BASE_DIR) / "static" / "upward" / "css" / "badges.css"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("met", "good"),
        ("gap", "warn"),
        ("unconfirmed", "info"),
        ("unassessed", "neutral"),
        ("revoked", "bad"),
        ("admin", "accent"),
        ("draft", "warn"),
        ("archived", "neutral"),
    ],
)
def test_a_known_value_gets_its_tone(value, expected):
    assert tone(value) == expected


@pytest.mark.parametrize("value", ["", "no-such-status", None, 3, "MET"])
def test_anything_else_is_neutral(value):
    assert tone(value) == "neutral"


def test_every_delta_status_has_a_tone_of_its_own_choosing():
    assert {s.value for s in Status} <= TONES.keys()


def test_every_tone_has_a_style():
    styled = set(re.findall(r"^\.badge--([a-z]+) \{", BADGES_CSS.read_text(), re.MULTILINE))
    assert set(TONES.values()) | {"neutral"} <= styled


def test_no_css_class_is_left_per_domain_value():
    css = "".join(p.read_text() for p in BADGES_CSS.parent.glob("*.css"))
    assert not re.search(r"\.badge-[a-z]", css)


def test_templates_use_it_as_a_filter():
    html = Template('{% load tones %}<span class="badge badge--{{ s|tone }}">').render(
        Context({"s": "published"})
    )
    assert html == '<span class="badge badge--good">'


def test_no_template_names_a_badge_class_per_domain_value():
    root = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("**/templates/**/*.html")
        if re.search(r"\bbadge-[a-z{]", path.read_text())
    ]
    assert offenders == []
