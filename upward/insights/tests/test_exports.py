"""Insight tables as CSV and XLSX: numbers stay numbers, text never runs as a formula."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from upward.insights.exports import Value, as_csv, as_xlsx

ROWS: list[list[Value]] = [
    ["Team", "People", "Share"],
    ['=HYPERLINK("http://x")', 4, 0.75],
    ["Platform", None, "suppressed"],
    [],
    ["-1+2", -0.5, "Zoë"],
]


def test_csv_keeps_accents_empty_cells_and_defuses_formulas():
    data = as_csv(ROWS)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1] == ['\'=HYPERLINK("http://x")', "4", "0.75"]
    assert rows[2] == ["Platform", "", "suppressed"]
    assert rows[3] == []
    assert rows[4] == ["'-1+2", "-0.5", "Zoë"]


def test_xlsx_has_one_named_sheet_with_numbers_and_no_formulas():
    book = load_workbook(io.BytesIO(as_xlsx(ROWS, "A sheet name longer than thirty-one letters")))
    (sheet,) = book.worksheets
    assert sheet.title == "A sheet name longer than thirty"
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Team", "People", "Share"]
    assert values[1] == ['\'=HYPERLINK("http://x")', 4, 0.75]
    assert values[2] == ["Platform", None, "suppressed"]
    assert values[4][:2] == ["'-1+2", -0.5]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
