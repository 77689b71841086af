from __future__ import annotations

import contextlib

import pytest

from upward.engine.formats import (
    FORMATS,
    case,
    csvfile,
    ft,
    monzo,
    read_any,
    read_many,
    readable_formats,
    snowflake,
    validate,
    validate_many,
    writable_formats,
    write,
)
from upward.engine.formats import upward as upward_format
from upward.engine.issues import FrameworkError
from upward.engine.tests.conftest import FIXTURES, fixture_text

SINGLE_FILES = {
    "orbit.yaml": "yaml",
    "tiny_constants.js": "snowflake",
    "tiny_job_family.yml": "ft",
    "tiny_monzo.md": "monzo",
    "tiny_monzo_prose.md": "monzo",
    "tiny_case.json": "case",
}


def refusal(data: bytes, filename: str) -> str:
    with pytest.raises(FrameworkError) as caught:
        read_any(data, filename)
    return str(caught.value)


@pytest.mark.parametrize(("name", "fmt"), SINGLE_FILES.items())
def test_read_any_recognises_each_format_by_its_content(name, fmt):
    data = (FIXTURES / name).read_bytes()
    assert read_any(data, "upload.bin").format == fmt


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv", "xlsx", "case"])
def test_every_writable_import_format_reads_back_through_read_any(orbit, fmt):
    result = read_any(write(orbit, fmt), f"orbit.{FORMATS[fmt].extension}")
    assert result.format == fmt
    assert result.framework == orbit


def test_read_many_reads_the_ladder_set():
    files = {p.name: p.read_bytes() for p in (FIXTURES / "ladders").iterdir()}
    assert read_many(files).format == "ladders"


def test_read_many_reads_the_unidays_files_in_any_upload_order():
    files = {p.name: p.read_bytes() for p in (FIXTURES / "unidays").iterdir()}
    reverse = dict(reversed(list(files.items())))
    assert read_many(files).framework == read_many(reverse).framework


def test_read_many_with_one_file_is_read_any():
    data = (FIXTURES / "orbit.yaml").read_bytes()
    assert read_many({"orbit.yaml": data}).format == "yaml"


def test_read_many_refuses_a_mix_of_formats():
    files = {
        "README.md": (FIXTURES / "ladders" / "README.md").read_bytes(),
        "orbit.yaml": (FIXTURES / "orbit.yaml").read_bytes(),
    }
    with pytest.raises(FrameworkError) as caught:
        read_many(files)
    assert [str(i) for i in caught.value.issues] == [
        "README.md: recognised as Engineering ladders Markdown (README and ladders), which cannot"
        " be mixed with the other files",
        "orbit.yaml: Upward YAML is read one file at a time",
    ]


def test_binary_junk_is_refused():
    assert (
        refusal(bytes(range(256)) * 4, "junk.yaml")
        == "junk.yaml: binary data, not a framework file"
    )


def test_text_in_another_encoding_is_refused_with_its_line():
    data = "key: caf\xe9\nname: x\n".encode("latin-1")
    assert refusal(data, "latin.yaml") == (
        "latin.yaml:1: not UTF-8 text (byte 0xe9): a binary file, or text in another encoding;"
        " save it as UTF-8"
    )


def test_an_empty_file_is_refused():
    assert refusal(b"  \n", "empty.yaml") == "empty.yaml: the file is empty"


def test_an_unknown_format_is_refused():
    assert refusal(b'{"hello": "world"}', "x.json") == (
        "x.json: unrecognised framework format (JSON that matches no known format)"
    )


def test_a_zip_that_is_not_a_workbook_is_refused():
    assert (
        refusal(b"PK\x03\x04" + b"\x00" * 40, "x.zip")
        == "x.zip: a ZIP archive, not a framework file"
    )


def test_a_truncated_upward_document_is_refused_with_its_line():
    text = fixture_text("orbit.yaml")
    cut = text[: text.index("level: ic2\n    summary: Ships a feature") + len("level: ic")]
    with pytest.raises(FrameworkError) as caught:
        read_any(cut.encode(), "orbit.yaml")
    assert [str(i) for i in caught.value.issues] == [
        "orbit.yaml:85: expectations[1].level: unknown level 'ic' (known: ic1, ic2, ic3, m1)"
    ]
    assert str(caught.value.warnings[0]) == (
        "orbit.yaml:85: warning: the file does not end with a line break: if it was cut short,"
        " content is missing"
    )


def test_a_utf8_bom_is_fine():
    data = "\ufeff".encode() + (FIXTURES / "orbit.yaml").read_bytes()
    assert read_any(data, "orbit.yaml").format == "yaml"


def test_warnings_name_the_file():
    result = read_any((FIXTURES / "tiny_job_family.yml").read_bytes(), "bakery.yml")
    assert {w.file for w in result.warnings} == {"bakery.yml"}


def test_validate_returns_issues_and_never_raises():
    assert validate((FIXTURES / "orbit.yaml").read_bytes(), "orbit.yaml") == []
    [issue] = validate(b"key: x\n", "x.yaml")
    assert issue.message.startswith("unrecognised framework format")
    issues = validate_many({"a.md": b"# nothing", "b.md": b"# else"})
    assert [i.file for i in issues] == ["a.md", "b.md"]


def test_write_refuses_an_unknown_format(orbit):
    with pytest.raises(ValueError, match="cannot write format 'pdf'"):
        write(orbit, "pdf")


def test_the_lists_of_formats_say_what_can_be_read_and_written():
    assert [f.name for f in writable_formats()] == [
        "case",
        "json",
        "yaml",
        "csv",
        "xlsx",
        "markdown",
        "html",
    ]
    assert "snowflake" in [f.name for f in readable_formats()]
    assert "html" not in [f.name for f in readable_formats()]


@pytest.mark.parametrize("name", [*SINGLE_FILES, "ladders/Deckhand.md", "unidays/roles.json"])
def test_no_truncation_of_a_fixture_crashes_a_reader(name):
    data = (FIXTURES / name).read_bytes()
    for end in range(1, len(data), max(1, len(data) // 60)):
        with contextlib.suppress(FrameworkError):
            read_any(data[:end], name)


TEXT_READERS = {
    "yaml": (upward_format.read, "orbit.yaml"),
    "csv": (csvfile.read, "orbit.csv"),
    "snowflake": (snowflake.read, "tiny_constants.js"),
    "ft": (ft.read, "tiny_job_family.yml"),
    "monzo": (monzo.read, "tiny_monzo.md"),
    "case": (case.read, "tiny_case.json"),
}


@pytest.mark.parametrize(
    ("reader", "other"),
    [
        (reader, other)
        for reader, (_read, own) in TEXT_READERS.items()
        for other in ("tiny_constants.js", "tiny_case.json", "tiny_monzo.md")
        if other != own
    ],
)
def test_each_reader_refuses_another_format_naming_the_file(reader, other):
    read, _own = TEXT_READERS[reader]
    with pytest.raises(FrameworkError) as caught:
        read(fixture_text(other), "upload.txt")
    assert all(i.file == "upload.txt" for i in caught.value.issues)


@pytest.mark.parametrize("reader", TEXT_READERS)
def test_each_reader_refuses_junk_text(reader):
    read, _ = TEXT_READERS[reader]
    with pytest.raises(FrameworkError):
        read("\x01\x02 }{ ][ :: ,, '\" \n\t\x7f", "junk.txt")


def test_an_empty_framework_file_is_refused_with_lines():
    text = "key: empty\nname: Empty\ncompetencies: []\ntracks:\n  - key: ic\n    name: IC\n"
    with pytest.raises(FrameworkError) as caught:
        read_any(text.encode(), "empty.yaml")
    assert [str(i) for i in caught.value.issues] == [
        "empty.yaml:3: competencies: the framework has no competencies",
        "empty.yaml:5: tracks[0].levels: track 'ic' has no levels",
    ]


def test_a_csv_without_competencies_is_refused():
    with pytest.raises(FrameworkError) as caught:
        read_any(b"#matrix\ncompetency,name,area,kind,field,one\n,,,,title,One\n", "x.csv")
    assert "x.csv: competencies: the framework has no competencies" in str(caught.value)
