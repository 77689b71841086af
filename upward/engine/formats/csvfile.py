"""The spreadsheet matrix as one CSV file: sections introduced by `#name` rows."""

from __future__ import annotations

import csv
import io

from upward.engine.formats._common import located_errors
from upward.engine.formats.sheets import (
    SECTIONS,
    Cell,
    Section,
    SheetRow,
    escape_cell,
    to_sections,
    unescape_cell,
)
from upward.engine.formats.sheets_read import read_sections
from upward.engine.framework import FrameworkDocument, ImportResult
from upward.engine.issues import FrameworkError

_DELIMITERS = ",;\t"


def detect(text: str, filename: str = "") -> bool:
    """True for a CSV whose first section is `#matrix`, or that starts with the
    matrix header (a hand-made sheet)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip().lower()
    if first.startswith("#matrix"):
        return True
    return filename.lower().endswith(".csv") and first.startswith("competency")


@located_errors
def read(text: str, filename: str) -> ImportResult:
    """Read a framework from the CSV layout; errors name the line."""
    text = text.lstrip("\ufeff")
    delimiter = _delimiter(text)
    sections = _sections(text, delimiter)
    return read_sections(sections, filename, "csv")


def write(framework: FrameworkDocument) -> str:
    """The framework as CSV sections; cells that could start a formula are neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for n, (name, rows) in enumerate(to_sections(framework)):
        if n:
            writer.writerow([])
        writer.writerow([f"#{name}"])
        for row in rows:
            writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return repr(value)
    return escape_cell(value)


def _delimiter(text: str) -> str:
    # A hand-made file may come from a spreadsheet set to ';' or to tabs.
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _sections(text: str, delimiter: str) -> list[Section]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    sections: list[Section] = []
    current: Section | None = None
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            marker = cells[0].strip().lower() if cells else ""
            if marker.startswith("#") and not any(c.strip() for c in cells[1:]):
                current = Section(marker[1:])
                if current.name not in SECTIONS:
                    raise FrameworkError.single(
                        f"unknown section '{marker}' (known: {', '.join(SECTIONS)})", line=line
                    )
                sections.append(current)
                continue
            if current is None:
                current = Section("matrix")  # a hand-made sheet: only the matrix
                sections.append(current)
            current.rows.append(SheetRow(line, [unescape_cell(c) for c in cells]))
    except csv.Error as exc:
        raise FrameworkError.single(f"CSV syntax error: {exc}", line=reader.line_num) from None
    return sections
