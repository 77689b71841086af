"""Upward's own format: the framework document as YAML or JSON (read and write)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from upward.engine.formats._common import located_errors
from upward.engine.framework import FrameworkDocument, ImportResult, parse_framework
from upward.engine.sourcemap import load_json, load_yaml

_TOP_KEY = re.compile(r"^(competencies|tracks)\s*:", re.MULTILINE)
_JSON_KEY = re.compile(r'"(competencies|tracks)"\s*:')


def detect(text: str, filename: str = "") -> bool:
    """True for an Upward document in YAML or JSON."""
    return detect_json(text, filename) or detect_yaml(text, filename)


def detect_json(text: str, filename: str = "") -> bool:
    """True for an Upward JSON document: top-level `competencies` and `tracks`."""
    if not text.lstrip("\ufeff \t\r\n").startswith("{"):
        return False
    return set(_JSON_KEY.findall(text)) == {"competencies", "tracks"} and '"CFDocument"' not in text


def detect_yaml(text: str, filename: str = "") -> bool:
    """True for an Upward YAML document: top-level `competencies` and `tracks`."""
    if text.lstrip("\ufeff \t\r\n").startswith("{"):
        return False
    found = set(_TOP_KEY.findall(text))
    return found == {"competencies", "tracks"} and not re.search(r"^themes\s*:", text, re.M)


@located_errors
def read(text: str, filename: str) -> ImportResult:
    """Read an Upward YAML or JSON document; errors carry the file and line."""
    is_json = text.lstrip("\ufeff \t\r\n").startswith("{") or filename.lower().endswith(".json")
    data, source, warnings = load_json(text) if is_json else load_yaml(text)
    fmt = "json" if is_json else "yaml"
    return parse_framework(data, source=source, file=filename or None, warnings=warnings, fmt=fmt)


def write_json(framework: FrameworkDocument) -> str:
    """The canonical JSON document (sorted keys, two-space indent, final newline)."""
    return framework.to_json(indent=2) + "\n"


def write_yaml(framework: FrameworkDocument) -> str:
    """The document as YAML, fields in reading order, long texts as blocks."""
    data = framework.to_dict()
    ordered = {"format_version": data.pop("format_version"), **data}
    return yaml.dump(
        ordered,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key and writes multi-line text as `|` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> Any:
    # The emitter falls back to quoting when a block would change the text.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
