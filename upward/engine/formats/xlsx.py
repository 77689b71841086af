"""The spreadsheet matrix as an XLSX workbook: one sheet per section."""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils.exceptions import InvalidFileException

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
from upward.engine.limits import (
    MAX_CELLS,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_TEXT_CHARS,
    MAX_XLSX_PART_BYTES,
    MAX_XLSX_UNPACKED_BYTES,
    size_text,
)

# A small upload must not unpack, or be read, into gigabytes: see limits.
MAX_UNPACKED = MAX_XLSX_UNPACKED_BYTES


def detect(data: bytes | str, filename: str = "") -> bool:
    """True for a ZIP archive holding an Excel workbook."""
    if isinstance(data, str) or not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return filename.lower().endswith(".xlsx")


@located_errors
def read(data: bytes, filename: str) -> ImportResult:
    """Read a framework from a workbook; errors name the sheet and the row."""
    try:
        sections = _sections(data, filename)
    except _DAMAGED as exc:
        raise FrameworkError.single(
            f"not a readable XLSX workbook (truncated or damaged?): {exc}", file=filename
        ) from None
    known = [s for s in sections if s.name in SECTIONS]
    return read_sections(known, filename, "xlsx")


def write(framework: FrameworkDocument) -> bytes:
    """The framework as a workbook; text cells that could start a formula are neutralised."""
    book = Workbook()
    book.remove(book.worksheets[0])  # the default empty sheet
    for name, rows in to_sections(framework):
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([_cell(value) for value in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# A damaged archive fails lazily, while rows are read, in any of these ways.
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    InvalidFileException,
    NotImplementedError,
    EOFError,
    KeyError,
    OSError,
    ValueError,
    SyntaxError,  # includes XML parse errors
)


def _sections(data: bytes, filename: str) -> list[Section]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        _check_parts(archive.infolist(), filename)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    budget = _Budget(filename)
    try:
        return [_section(book[name], name, budget) for name in book.sheetnames]
    finally:
        book.close()


def _check_parts(parts: list[zipfile.ZipInfo], filename: str) -> None:
    # The sizes in the directory bound what unpacking yields: zipfile stops there.
    unpacked = sum(info.file_size for info in parts)
    if unpacked > MAX_UNPACKED:
        raise FrameworkError.single(
            f"the workbook unpacks to more than {size_text(MAX_UNPACKED)}"
            " (the limit for one workbook)",
            file=filename,
        )
    for info in parts:
        if info.file_size > MAX_XLSX_PART_BYTES:
            raise FrameworkError.single(
                f"the part '{info.filename}' of the workbook unpacks to more than"
                f" {size_text(MAX_XLSX_PART_BYTES)} (the limit for one part)",
                file=filename,
            )


class _Budget:
    """Cells and characters read so far from one workbook, refused past the limits."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.cells = 0
        self.chars = 0

    def spend(self, values: tuple[Any, ...], sheet: str) -> None:
        self.cells += len(values)
        # Before any text is copied: many cells can share one long string.
        self.chars += sum(len(v) for v in values if isinstance(v, str))
        if self.cells > MAX_CELLS:
            self.refuse(sheet, f"more than {MAX_CELLS:,} cells")
        if self.chars > MAX_TEXT_CHARS:
            self.refuse(sheet, f"more than {MAX_TEXT_CHARS:,} characters of text")

    def refuse(self, sheet: str, what: str) -> None:
        raise FrameworkError.single(
            f"the workbook has {what} (the limit for one workbook), reached in sheet '{sheet}'",
            file=self.filename,
        )


def _cell(value: Cell) -> Any:
    if isinstance(value, str):
        return escape_cell(value) if value else None
    return value


def _section(sheet: Any, name: str, budget: _Budget) -> Section:
    section = Section(name.strip().lower(), file=f"{budget.filename}:{name}")
    # Rows are padded to the sheet's stated width: cap it, never raise it.
    width = min(sheet.max_column, MAX_SHEET_COLUMNS) if sheet.max_column else None
    rows = sheet.iter_rows(max_row=MAX_SHEET_ROWS + 1, max_col=width, values_only=True)
    for number, values in enumerate(rows, start=1):
        if number > MAX_SHEET_ROWS:
            budget.refuse(name, f"more than {MAX_SHEET_ROWS:,} rows in a sheet")
        budget.spend(values, name)
        section.rows.append(SheetRow(number, [_text(v) for v in values[:MAX_SHEET_COLUMNS]]))
    return section


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets keep 1 and 1.0 alike; a level key typed as 1 must read "1".
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    return unescape_cell(str(value))
