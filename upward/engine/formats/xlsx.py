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
from upward.engine.framework import Framework, ImportResult
from upward.engine.issues import FrameworkError

MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
MAX_UNPACKED = 200 * 1024 * 1024  # a small upload must not unpack into gigabytes


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


def write(framework: Framework) -> bytes:
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
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED:
        raise FrameworkError.single(
            f"the workbook unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB", file=filename
        )
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [_section(book[name], name, filename) for name in book.sheetnames]
    finally:
        book.close()


def _cell(value: Cell) -> Any:
    if isinstance(value, str):
        return escape_cell(value) if value else None
    return value


def _section(sheet: Any, name: str, filename: str) -> Section:
    section = Section(name.strip().lower(), file=f"{filename}:{name}")
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            raise FrameworkError.single(f"sheet '{name}' has more than {MAX_ROWS} rows")
        cells = [_text(v) for v in values[:MAX_COLUMNS]]
        section.rows.append(SheetRow(number, cells))
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
