"""Links in framework documents: only absolute http, https and mailto addresses."""

from __future__ import annotations

import json
import re

import pytest

from upward.engine.formats import case, upward
from upward.engine.framework import FrameworkDocument, framework_json_schema, parse_framework
from upward.engine.framework.models import STORED
from upward.engine.issues import FrameworkError
from upward.engine.links import is_safe_link, safe_link
from upward.engine.tests.conftest import fixture_text, minimal

SAFE = [
    "https://example.org/ladder",
    "http://example.org",
    "HTTPS://EXAMPLE.ORG/x?y=1#z",
    "mailto:people@example.org",
    "https://例え.jp/パス",
]
UNSAFE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    " https://example.org",
    "https://example.org/\nx",
    "https://exa mple.org",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org",
    "//evil.example",
    "/relative/path",
    "example.org",
    "https://",
    "mailto:",
]


@pytest.mark.parametrize("value", SAFE)
def test_web_and_email_addresses_are_links(value):
    assert is_safe_link(value)
    assert safe_link(value) == value


@pytest.mark.parametrize("value", UNSAFE)
def test_anything_else_is_not_a_link(value):
    assert not is_safe_link(value)
    assert safe_link(value) == ""


def test_the_schema_pattern_agrees_with_the_rule():
    url = framework_json_schema()["$defs"]["Attribution"]["properties"]["url"]
    pattern = re.compile(url["pattern"])
    for value in SAFE:
        assert pattern.search(value)
    for value in UNSAFE:
        assert not pattern.search(value)
    assert pattern.search("")  # no link at all


def _with_url(url: str) -> dict:
    return minimal(attribution={"source": "Orbit", "url": url})


@pytest.mark.parametrize("value", UNSAFE)
def test_a_document_with_an_unsafe_attribution_url_is_refused_naming_the_field(value):
    with pytest.raises(FrameworkError) as caught:
        parse_framework(_with_url(value))
    [issue] = caught.value.issues
    assert issue.path == "attribution.url"
    assert issue.message.startswith("must be a web or email address starting with http://")
    assert repr(value[:80]) in issue.message


def test_a_document_without_a_url_or_with_a_web_address_is_fine():
    assert parse_framework(minimal(attribution={"source": "Orbit"})).framework.attribution
    doc = parse_framework(_with_url("https://example.org")).framework
    assert doc.attribution is not None
    assert doc.attribution.url == "https://example.org"


def test_the_model_refuses_it_too_but_loads_a_document_stored_earlier():
    with pytest.raises(ValueError, match=r"attribution\.url"):
        FrameworkDocument.model_validate(_with_url("javascript:alert(1)"))
    stored = FrameworkDocument.model_validate(
        _with_url("javascript:alert(1)"), context={STORED: True}
    )
    assert stored.attribution is not None
    assert safe_link(stored.attribution.url) == ""


def test_an_upward_file_with_an_unsafe_url_names_its_line():
    text = upward.write_yaml(FrameworkDocument.model_validate(_with_url("https://example.org")))
    text = text.replace("https://example.org", "javascript:alert(1)")
    with pytest.raises(FrameworkError) as caught:
        upward.read(text, "orbit.yaml")
    [issue] = caught.value.issues
    assert (issue.path, issue.file) == ("attribution.url", "orbit.yaml")
    assert issue.line is not None


def test_a_case_package_with_an_unsafe_source_url_is_refused():
    package = json.loads(fixture_text("tiny_case.json"))
    package["CFDocument"]["officialSourceURL"] = "javascript:alert(1)"
    with pytest.raises(FrameworkError) as caught:
        case.read(json.dumps(package), "pottery.json")
    assert [i.path for i in caught.value.issues] == ["attribution.url"]


def test_a_case_package_uri_that_is_no_web_address_is_not_taken_as_a_link():
    package = json.loads(fixture_text("tiny_case.json"))
    package["CFDocument"]["CFPackageURI"] = "urn:uuid:0f6a2c1e-5a4b-4c3d-9e8f-1a2b3c4d5e6f"
    fw = case.read(json.dumps(package), "pottery.json").framework
    assert fw.attribution is not None
    assert fw.attribution.url == ""
