"""Frameworks given as a ZIP or a folder; files that are not framework content skipped;
a broken YAML or JSON file named by its line; hostile archives refused cheaply."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from upward.engine import limits
from upward.engine.formats import FORMATS, read_many, validate
from upward.engine.formats.archive import read_folder, unzip
from upward.engine.issues import FrameworkError
from upward.engine.tests.conftest import FIXTURES
from upward.engine.tests.test_limits import cheap, refused

UNIDAYS = FIXTURES / "unidays"
SCHEMA = b'{\n  "$schema": "http://json-schema.org/draft-07/schema#",\n  "type": "object"\n}\n'


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


def unidays_files() -> dict[str, bytes]:
    return {f"unidays/{p.name}": p.read_bytes() for p in sorted(UNIDAYS.glob("*.json"))}


def test_a_zip_of_a_multi_file_format_reads_like_its_files():
    from_files = read_many(unidays_files())
    from_zip = read_many({"unidays.zip": zipped(unidays_files())})
    assert from_zip.framework == from_files.framework
    assert from_zip.format == "unidays"


def test_schemas_and_licences_beside_the_content_are_skipped_with_a_warning():
    files = {**unidays_files(), "unidays/roles-schema.json": SCHEMA, "unidays/LICENSE": b"MIT\n"}
    result = read_many({"unidays.zip": zipped(files)})
    skipped = {w.file: w.message for w in result.warnings if w.message.startswith("skipped")}
    assert skipped == {
        "unidays/LICENSE": "skipped: not framework content (a licence or project document)",
        "unidays/roles-schema.json": "skipped: a JSON Schema, not framework content",
    }


def test_a_ladder_sets_readme_is_content_not_skipped():
    files = {p.name: p.read_bytes() for p in (FIXTURES / "ladders").glob("*.md")}
    result = read_many({"ladders.zip": zipped(files)})
    assert result.format == "ladders"
    assert not [w for w in result.warnings if w.message.startswith("skipped")]


def test_other_unknown_files_still_fail_the_import_by_name():
    files = {**unidays_files(), "unidays/notes.txt": b"remember the milk\n"}
    with pytest.raises(FrameworkError) as caught:
        read_many(files)
    assert "unidays/notes.txt: not a framework file" in caught.value.message


def test_hidden_files_and_mac_folders_in_a_zip_are_left_out():
    files = {**unidays_files(), "__MACOSX/unidays/._roles.json": b"\x00\x05", ".DS_Store": b"x"}
    assert sorted(unzip(zipped(files))) == sorted(unidays_files())


def test_a_zip_of_nothing_but_skipped_files_says_so():
    with pytest.raises(FrameworkError) as caught:
        read_many({"x.zip": zipped({"README.md": b"# hi\n", "LICENSE": b"MIT\n"})})
    assert "every file was skipped" in caught.value.message


def test_a_folder_reads_every_file_under_it(tmp_path: Path):
    for name, data in {**unidays_files(), "unidays/roles-schema.json": SCHEMA}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    (tmp_path / "unidays" / ".git").mkdir()
    (tmp_path / "unidays" / ".git" / "HEAD").write_bytes(b"ref: main\n")
    files = read_folder(tmp_path / "unidays")
    assert sorted(files) == ["roles-schema.json", "roles.json", "skills.json"]
    assert read_many(files).format == "unidays"


@pytest.mark.parametrize("name", ["../evil.json", "/etc/evil.json", "a/../../evil.json"])
def test_a_member_path_outside_the_archive_is_refused(name):
    message = refused(lambda: read_many({"up.zip": zipped({name: b"{}"})}))
    assert "path outside itself" in message
    assert "up.zip" in message


def test_a_zip_bomb_is_refused_from_its_directory_before_unpacking():
    bomb = zipped({"bomb.yaml": b"\0" * (limits.MAX_FILE_BYTES + 1)})
    assert len(bomb) < limits.MB
    message = refused(lambda: read_many({"bomb.zip": bomb}))
    assert "bomb.yaml unpacks to more than 20 MB" in message


def test_many_members_that_add_up_past_the_limit_are_refused():
    size = limits.MAX_ZIP_UNPACKED_BYTES // 4 + 1
    archive = zipped({f"part{i}.json": b" " * size for i in range(4)})
    message = refused(lambda: read_many({"parts.zip": archive}))
    assert "unpacks to more than 20 MB" in message


def test_too_many_members_are_refused_before_any_is_read():
    archive = zipped({f"f{i}.md": b"# x\n" for i in range(limits.MAX_ZIP_MEMBERS + 1)})
    message = refused(lambda: read_many({"many.zip": archive}))
    assert f"more than {limits.MAX_ZIP_MEMBERS} entries" in message


def test_a_member_larger_than_its_directory_says_is_cut_short():
    archive = bytearray(zipped({"skills.json": b"{" + b" " * 5000 + b"}"}))
    # Shrink the size the central directory claims (offset 24 in its entry).
    central = archive.rindex(b"PK\x01\x02")
    archive[central + 24 : central + 28] = (10).to_bytes(4, "little")
    message = refused(lambda: read_many({"liar.zip": bytes(archive)}))
    assert "liar.zip" in message


def test_a_file_that_is_not_a_zip_inside_is_refused_clearly():
    message = refused(lambda: read_many({"x.zip": b"PK\x03\x04 not really"}))
    assert "not a readable ZIP archive" in message


def test_a_broken_yaml_file_names_the_line_of_the_syntax_error():
    broken = b"key: x\nname: X\nlevels:\n  - key: a\n   name: b\n"
    [issue] = validate(broken, "broken.yaml")
    assert issue.line == 5
    assert "YAML syntax error" in issue.message
    assert issue.file == "broken.yaml"


def test_a_broken_json_file_names_the_line_of_the_syntax_error():
    [issue] = validate(b'{\n  "competencies": [\n    1,,\n  ]\n}\n', "broken.json")
    assert issue.line == 3


def test_text_that_parses_but_matches_no_format_is_still_unrecognised():
    [issue] = validate(b"just: a mapping\n", "other.yaml")
    assert "unrecognised framework format" in issue.message


def test_the_case_export_has_its_own_file_name():
    assert FORMATS["case"].extension == "case.json"
    assert FORMATS["json"].extension == "json"


def test_reading_a_zip_stays_cheap():
    archive = zipped(unidays_files())
    assert cheap(lambda: read_many({"u.zip": archive})).format == "unidays"
