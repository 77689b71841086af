"""1EdTech CASE 1.0 / 1.1 CFPackage JSON: read both, write 1.1 (see export.py).

Packages Upward wrote (item types Area, Competency, Track, Level, ...) are read
back exactly. Any other package is mapped: top-level items that have children
become areas, the items under them competencies, education levels the levels of
one track, and each competency is expected at its education levels with its full
statement. docs/framework-format.md lists the mapping and the quirks tolerated.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from upward.engine.formats._common import SourceReader, located_errors
from upward.engine.formats.case.export import write as write_case
from upward.engine.formats.case.generic import read_generic
from upward.engine.formats.case.own import is_own, read_own
from upward.engine.formats.case.package import Package
from upward.engine.framework import FrameworkDocument, ImportResult, parse_framework
from upward.engine.sourcemap import load_json


def detect(text: str, filename: str = "") -> bool:
    """True for a JSON object with a top-level `CFDocument`."""
    if not text.lstrip("\ufeff \t\r\n").startswith("{"):
        return False
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except (ValueError, RecursionError):
        # Broken JSON that mentions CASE: let the reader say where it breaks.
        return re.search(r'"CFDocument"\s*:', text) is not None
    return isinstance(data, dict) and "CFDocument" in data


@located_errors
def read(text: str, filename: str) -> ImportResult:
    """Read a CASE package into a framework."""
    data, source, warnings = load_json(text)
    src = SourceReader(source, filename)
    src.warnings += warnings
    package = Package(src, src.check(data, (), dict))
    doc = read_own(package) if is_own(package) else read_generic(package)
    return parse_framework(doc, source=src.out, file=filename, warnings=src.warnings, fmt="case")


def write(framework: FrameworkDocument, *, changed_at: datetime | None = None) -> str:
    """The framework as a CASE 1.1 package (JSON text)."""
    return write_case(framework, changed_at=changed_at)
