"""Hostile files are refused fast, in little memory, with an error naming the limit.

Every file is generated here (no big fixtures). `cheap` runs the read twice: once
timed, once under tracemalloc (which slows Python down) for the memory peak.
"""

from __future__ import annotations

import io
import json
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from upward.engine import limits
from upward.engine.formats import ft, ladders, markdown, monzo, read_any, read_many
from upward.engine.formats.jsparse import tokenize
from upward.engine.issues import FrameworkError

MAX_SECONDS = 2.0
MAX_PEAK_BYTES = 50 * 1024 * 1024


def cheap(call: Callable[[], Any]) -> Any:
    """Run `call` within the time and memory bounds; return what it returned or raised."""
    start = time.perf_counter()
    result = _outcome(call)
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    try:
        _outcome(call)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < MAX_SECONDS, f"took {elapsed:.2f} s"
    assert peak < MAX_PEAK_BYTES, f"peaked at {peak / 1e6:.0f} MB"
    return result


def _outcome(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except FrameworkError as exc:
        return exc


def refused(call: Callable[[], Any]) -> str:
    """The message of the FrameworkError `call` raises, within the bounds."""
    outcome = cheap(call)
    assert isinstance(outcome, FrameworkError), f"accepted: {outcome!r}"
    return outcome.message


# Generated hostile files -----------------------------------------------------------


def yaml_alias_bomb() -> bytes:
    """About 2 KB of YAML that expands to ten million copies of a 100-character text."""
    lines = ["a0: &a0 [" + ", ".join(["'" + "x" * 100 + "'"] * 10) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    return ("\n".join(lines) + "\ncompetencies: *a7\ntracks: []\n").encode()


def yaml_merge_chain(links: int = 3000) -> bytes:
    """Each mapping merges the one before: quadratic once expanded, and deep to recurse."""
    lines = ["m0: &m0 {k0: 1}"]
    lines += [f"m{i}: &m{i} {{<<: *m{i - 1}, k{i}: 1}}" for i in range(1, links)]
    return ("\n".join(lines) + "\ncompetencies: []\ntracks: []\n").encode()


def shared_string_workbook(cells: int = 4000, size: int = 100_000) -> bytes:
    """A small workbook whose cells all show one long shared string."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    kinds = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    row = "".join(f'<c r="{c}1" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ")
    rows = "".join(
        f'<row r="{r}">{row.replace('1"', f'{r}"')}</row>' for r in range(1, cells // 10 + 1)
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{kinds}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kinds}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kinds}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="r1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="competencies" sheetId="1" r:id="r1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="r1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="r2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/sharedStrings.xml": f'<sst xmlns="{main}"><si><t>{"y" * size}</t></si></sst>',
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>{rows}</sheetData></worksheet>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def workbook_with_part(name: str, size: int) -> bytes:
    """A workbook whose part `name` unpacks to `size` bytes (of spaces)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(name, b" " * size)
    return out.getvalue()


def nested_json(depth: int = 100_000, head: str = '"competencies": [], "tracks": [], ') -> bytes:
    return ("{" + head + '"x": ' + '{"a": ' * depth + "1" + "}" * (depth + 1)).encode()


def snowflake_comments(count: int = 20_000) -> bytes:
    """A snowflake-like module that opens 20,000 comments and closes none (60 KB)."""
    head = "const tracks = { milestones: [] }\nconst pointsToLevels = {}\n"
    return (head + "/* " * count).encode()


# The hostile files of the security review, and their relatives ---------------------


def test_a_yaml_alias_bomb_is_refused_before_it_expands():
    data = yaml_alias_bomb()
    assert len(data) < 60_000
    message = refused(lambda: read_any(data, "bomb.yaml"))
    assert "bomb.yaml" in message
    assert f"more than {limits.MAX_ALIAS_NODES:,} values through aliases" in message


def test_a_chain_of_merge_keys_is_refused():
    message = refused(lambda: read_any(yaml_merge_chain(), "merges.yaml"))
    assert "aliases" in message or "merge keys" in message


def test_yaml_with_too_many_values_is_refused_before_it_is_composed():
    data = ("competencies:\n" + "- a\n" * (limits.MAX_NODES + 10) + "tracks: []\n").encode()
    message = refused(lambda: read_any(data, "dense.yaml"))
    assert f"more than {limits.MAX_NODES:,} values" in message


@pytest.mark.parametrize("separator", [" ", "\t"])
def test_deeply_nested_yaml_is_refused_by_both_parsers(separator):
    data = f"competencies: []\ntracks:{separator}{'[' * 100_000}{']' * 100_000}\n".encode()
    message = refused(lambda: read_any(data, "deep.yaml"))
    assert f"more than {limits.MAX_DEPTH} levels deep" in message


def test_yaml_that_needs_the_slow_parser_is_read_only_up_to_its_budget():
    line = "  - a\tb\n"  # a TAB between values sends the file to the repairing parser
    data = ("competencies:\n" + line * 150_000 + "tracks: []\n").encode()
    message = refused(lambda: read_any(data, "tabs.yaml"))
    assert "slower parser" in message


def test_a_shared_string_referenced_by_thousands_of_cells_is_refused_early():
    data = shared_string_workbook()
    assert len(data) < 20_000
    message = refused(lambda: read_any(data, "strings.xlsx"))
    assert f"more than {limits.MAX_TEXT_CHARS:,} characters of text" in message
    assert "strings.xlsx" in message


def test_a_workbook_part_that_unpacks_too_far_is_refused_before_it_is_read():
    data = workbook_with_part("xl/worksheets/sheet1.xml", limits.MAX_XLSX_PART_BYTES + 1)
    message = refused(lambda: read_any(data, "big.xlsx"))
    assert "'xl/worksheets/sheet1.xml'" in message
    assert "16 MB" in message


def test_javascript_comments_that_never_close_are_read_in_linear_time():
    message = refused(lambda: read_any(snowflake_comments(), "constants.js"))
    assert "comment that never ends" in message
    # Twice the size stays fast: nothing rescans the rest of the file per comment.
    refused(lambda: read_any(snowflake_comments(40_000), "constants.js"))


def test_many_closed_javascript_comments_tokenize_quickly():
    tokens = cheap(lambda: tokenize("/* a */ x " * 20_000))
    assert len(tokens) == 20_000


def test_a_ladder_heading_padded_with_spaces_is_matched_in_linear_time():
    line = "## A1 - x" + " " * 40_000 + "y"
    cheap(lambda: ladders.detect(line + "\n* **Axis**: text\n"))
    match = ladders._POSITION.match("## D1 - Developer 1  \r")
    assert match is not None
    assert match["title"].strip() == "Developer 1"


def test_other_headings_and_titles_on_untrusted_text_are_linear():
    cheap(lambda: monzo._HEADING.match("### x" + " " * 40_000 + "y"))
    cheap(lambda: ft._last_parenthesis("(" * 40_000 + ")"))
    cheap(lambda: markdown.md("\n" * 100_000 + "x"))
    assert ft._last_parenthesis("Senior 2 (Individual Contributor) ") == "Individual Contributor"
    assert ft._last_parenthesis("Lead (a (b) c)") == ""


@pytest.mark.parametrize(
    "data",
    [
        nested_json(),
        nested_json(head='"CFDocument": {}, '),
        ("[" * 100_000 + "]" * 100_000).encode(),
    ],
    ids=["upward", "case", "bare-array"],
)
def test_json_nested_a_hundred_thousand_deep_is_refused_cleanly(data):
    message = refused(lambda: read_any(data, "deep.json"))
    assert "deep.json" in message
    assert "RecursionError" not in message


def test_json_with_too_many_values_is_refused_before_it_is_parsed():
    data = ('{"competencies": [' + "1," * limits.MAX_NODES + '1], "tracks": []}').encode()
    message = refused(lambda: read_any(data, "dense.json"))
    assert f"more than {limits.MAX_NODES:,} values" in message


def test_a_document_past_the_competency_limit_is_refused():
    competencies = [
        {"key": f"c{i}", "name": f"C {i}", "area": "a", "kind": "skill"}
        for i in range(limits.MAX_COMPETENCIES + 1)
    ]
    doc = {"key": "big", "name": "Big", "competencies": competencies, "tracks": []}
    message = refused(lambda: read_any(json.dumps(doc).encode(), "big.json"))
    assert f"competencies: more than {limits.MAX_COMPETENCIES:,}" in message


def test_a_document_past_the_size_limit_is_refused():
    doc = {"key": "big", "name": "Big", "description": "z" * (3 * limits.MB), "tracks": []}
    doc["competencies"] = []
    message = refused(lambda: read_any(json.dumps(doc).encode(), "big.json"))
    assert "larger than 2 MB as JSON" in message


def test_an_import_of_too_many_files_is_refused():
    files = {f"f{i}.md": b"# x\n" for i in range(150)}
    message = refused(lambda: read_many(files))
    assert f"at most {limits.MAX_FILES}" in message


def test_json_shape_skips_brackets_inside_strings():
    assert limits.json_shape('{"a": "[[[{{{", "b": [1, [2]]}') == (3, 9)
    assert limits.json_shape('"unterminated \\" [[[') == (0, 1)
