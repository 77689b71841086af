from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from upward.engine.formats import csvfile, snowflake, xlsx
from upward.engine.formats.sheets import escape_cell, unescape_cell
from upward.engine.framework import FrameworkDocument
from upward.engine.issues import FrameworkError
from upward.engine.tests.conftest import expected, fixture_text, minimal

DANGEROUS = ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx", "'=already", "''", "'plain", "="]


def test_csv_round_trip_is_exact(orbit):
    assert csvfile.read(csvfile.write(orbit), "orbit.csv").framework == orbit


def test_xlsx_round_trip_is_exact(orbit):
    assert xlsx.read(xlsx.write(orbit), "orbit.xlsx").framework == orbit


def test_a_points_rule_survives_both_spreadsheets():
    fw = snowflake.read(fixture_text("tiny_constants.js"), "constants.js").framework
    assert csvfile.read(csvfile.write(fw), "x.csv").framework == fw
    assert xlsx.read(xlsx.write(fw), "x.xlsx").framework == fw


@pytest.mark.parametrize("text", DANGEROUS)
def test_escaping_a_cell_is_undone_exactly(text):
    assert unescape_cell(escape_cell(text)) == text
    assert not escape_cell(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def dangerous_doc() -> FrameworkDocument:
    doc = minimal(description='=HYPERLINK("http://evil")')
    doc["competencies"][0]["name"] = "@SUM(1+1)"
    doc["expectations"][0].update(summary="=cmd|' /C calc'!A0", signals=["+1", "-1"])
    return FrameworkDocument.model_validate(doc)


def test_csv_cells_that_could_run_a_formula_are_neutralised_and_read_back():
    fw = dangerous_doc()
    text = csvfile.write(fw)
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert csvfile.read(text, "x.csv").framework == fw


def test_xlsx_cells_are_never_formulas_and_read_back():
    fw = dangerous_doc()
    data = xlsx.write(fw)
    book = load_workbook(io.BytesIO(data))
    types = {cell.data_type for sheet in book for row in sheet.iter_rows() for cell in row}
    assert "f" not in types
    assert xlsx.read(data, "x.xlsx").framework == fw


def test_the_matrix_has_a_column_per_level_and_rows_per_competency(orbit):
    rows = list(csv.reader(io.StringIO(csvfile.write(orbit))))
    assert rows[0] == ["#matrix"]
    assert rows[1] == [
        "competency",
        "name",
        "area",
        "kind",
        "weight",
        "description",
        "field",
        "ic1",
        "ic2",
        "ic3",
        "m1",
    ]
    assert rows[2][6:] == ["track", "ic", "ic", "ic", "mgr"]
    shipping = [r for r in rows if r and r[0] == "shipping"]
    assert [r[6] for r in shipping] == ["summary", "expected", "signal", "example"]


def test_a_hand_made_matrix_without_the_other_sections_is_read_with_warnings():
    text = (
        "competency,name,area,kind,field,junior,senior\n"
        ",,,,title,Junior,Senior\n"
        "code,Code,craft,skill,summary,Writes code,Designs systems\n"
        "talk,Talking,people,behavior,summary,,Presents to the company\n"
    )
    result = csvfile.read(text, "team-ladder.csv")
    fw = result.framework
    assert (fw.key, fw.name) == ("team-ladder", "Team ladder")
    assert [a.key for a in fw.areas] == ["craft", "people"]
    assert [lv.key for lv in fw.levels_of("main")] == ["junior", "senior"]
    assert expected(fw, "talk", "senior").summary == "Presents to the company"
    assert fw.expectation("talk", "junior") is None
    assert [w.path for w in result.warnings] == ["framework", "areas", "tracks"]


def test_semicolon_separated_files_are_read():
    text = (
        "competency;name;area;kind;field;one\n;;;;title;One\ncode;Code;craft;skill;summary;Writes\n"
    )
    assert expected(csvfile.read(text, "x.csv").framework, "code", "one").summary == "Writes"


def test_csv_errors_name_the_line(orbit):
    text = csvfile.write(orbit).replace(
        "firmware,Firmware quality,craft,skill,1.0", "firmware,Firmware quality,craft,skill,heavy"
    )
    with pytest.raises(FrameworkError) as caught:
        csvfile.read(text, "orbit.csv")
    assert (
        str(caught.value) == "orbit.csv:12: competencies[1].weight: must be a number, found 'heavy'"
    )


def test_an_unknown_area_in_the_matrix_names_its_line(orbit):
    text = csvfile.write(orbit).replace("mentoring,Mentoring,people", "mentoring,Mentoring,peple")
    with pytest.raises(FrameworkError) as caught:
        csvfile.read(text, "orbit.csv")
    assert str(caught.value) == (
        "orbit.csv:17: competencies[3].area: unknown area 'peple' (known: delivery, craft, people)"
    )


def test_an_unknown_expected_value_is_refused(orbit):
    text = csvfile.write(orbit).replace(
        "firmware,,,,,,expected,required", "firmware,,,,,,expected,maybe"
    )
    with pytest.raises(FrameworkError) as caught:
        csvfile.read(text, "orbit.csv")
    assert str(caught.value) == (
        "orbit.csv:13: matrix.expected: 'maybe' in column 'ic1': use required, optional or leave"
        " it blank"
    )


def test_duplicate_competency_rows_are_refused(orbit):
    text = csvfile.write(orbit).replace("mentoring,Mentoring,people", "firmware,Mentoring,people")
    text = text.replace("mentoring,,,,,,expected", "firmware,,,,,,expected")
    with pytest.raises(FrameworkError) as caught:
        csvfile.read(text, "orbit.csv")
    assert str(caught.value) == (
        "orbit.csv:17: competencies[3].key: duplicate competency key 'firmware'"
        " (first used at competencies[1])"
    )


def test_a_broken_quote_is_a_csv_error_with_its_line():
    with pytest.raises(FrameworkError) as caught:
        csvfile.read('#matrix\ncompetency,name\n"code,Code\n', "x.csv")
    assert str(caught.value).startswith("x.csv:")
    assert "CSV syntax error" in str(caught.value)


def test_a_csv_without_a_matrix_is_refused():
    with pytest.raises(FrameworkError, match="no matrix section"):
        csvfile.read("#areas\nkey,name\ncraft,Craft\n", "x.csv")


def test_an_unknown_section_is_refused():
    with pytest.raises(FrameworkError) as caught:
        csvfile.read("#matrix\ncompetency\n#extras\n", "x.csv")
    assert str(caught.value).startswith("x.csv:3: unknown section '#extras'")


def test_a_truncated_workbook_is_refused(orbit):
    data = xlsx.write(orbit)
    with pytest.raises(FrameworkError) as caught:
        xlsx.read(data[: len(data) // 2], "orbit.xlsx")
    assert str(caught.value).startswith(
        "orbit.xlsx: not a readable XLSX workbook (truncated or damaged?)"
    )


def test_workbook_errors_name_the_sheet_and_row(orbit):
    data = xlsx.write(orbit)
    book = load_workbook(io.BytesIO(data))
    book["areas"]["A3"] = "Craft Area"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(FrameworkError) as caught:
        xlsx.read(out.getvalue(), "orbit.xlsx")
    messages = [str(i) for i in caught.value.issues]
    assert messages[0].startswith(
        "orbit.xlsx:areas:3: areas[1].key: 'Craft Area' is not a valid key"
    )


def test_numbers_typed_into_a_workbook_are_read_as_text_where_text_belongs(orbit):
    data = xlsx.write(orbit)
    book = load_workbook(io.BytesIO(data))
    book["matrix"]["H4"] = 2024  # the title of the first level
    book["matrix"]["B7"] = 7.0  # the name of the first competency
    out = io.BytesIO()
    book.save(out)
    fw = xlsx.read(out.getvalue(), "orbit.xlsx").framework
    assert fw.level("ic1").title == "2024"
    assert fw.competencies[0].name == "7"


def test_detect_csv_by_its_first_section(orbit):
    assert csvfile.detect(csvfile.write(orbit), "anything.txt")
    assert csvfile.detect("competency,name\n", "sheet.csv")
    assert not csvfile.detect("competency,name\n", "sheet.txt")


def test_a_workbook_that_unpacks_to_gigabytes_is_refused(monkeypatch, orbit):
    monkeypatch.setattr(xlsx, "MAX_UNPACKED", 1000)
    with pytest.raises(FrameworkError, match="the workbook unpacks to more than"):
        xlsx.read(xlsx.write(orbit), "big.xlsx")
