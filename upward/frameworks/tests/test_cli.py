"""`upward framework ...` commands, run in-process."""

from __future__ import annotations

import json

import pytest
import yaml

from upward.cli import main
from upward.engine.formats import write
from upward.frameworks.documents import validate_document
from upward.frameworks.models import Framework, VersionStatus
from upward.frameworks.tests.factories import small_document


@pytest.fixture
def ladder(tmp_path):
    path = tmp_path / "ladder.yaml"
    path.write_bytes(write(validate_document(small_document()), "yaml"))
    return path


def test_validate_accepts_a_good_file(ladder, capsys):
    assert main(["framework", "validate", str(ladder)]) == 0
    out = capsys.readouterr().out
    assert "ok: Tiny Ladder" in out
    assert "2 competencies, 1 tracks, 3 levels, 6 expectations" in out


def test_validate_names_the_file_and_line_of_each_error(ladder, capsys):
    text = ladder.read_text().replace("area: craft", "area: nowhere")
    ladder.write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "nowhere" in t)
    assert main(["framework", "validate", str(ladder)]) == 1
    err = capsys.readouterr().err
    assert f"{ladder}:{line}: competencies[1].area" in err
    assert "1 error(s)" in err


def test_validate_reports_a_missing_file(tmp_path, capsys):
    assert main(["framework", "validate", str(tmp_path / "nope.yaml")]) == 1
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize(("fmt", "marker"), [("md", "# Tiny Ladder"), ("html", "<table")])
def test_render_writes_markdown_and_html(ladder, capsys, fmt, marker):
    assert main(["framework", "render", str(ladder), "--format", fmt]) == 0
    assert marker in capsys.readouterr().out


def test_schema_prints_the_document_schema(capsys):
    assert main(["framework", "schema"]) == 0
    assert "expectations" in json.loads(capsys.readouterr().out)["properties"]


def test_import_then_export_round_trips_through_the_database(db, ladder, tmp_path, capsys):
    assert main(["framework", "import", str(ladder), "--publish"]) == 0
    err = capsys.readouterr().err
    assert "stored as draft version 1" in err
    assert "published version 1" in err
    framework = Framework.objects.get(key="tiny", organization=None)
    assert framework.versions.get().status == VersionStatus.PUBLISHED
    out = tmp_path / "out.yaml"
    assert main(["framework", "export", "tiny", "--format", "yaml", "-o", str(out)]) == 0
    assert yaml.safe_load(out.read_text()) == yaml.safe_load(ladder.read_text())


def test_import_into_an_unknown_organization_fails_cleanly(db, ladder, capsys):
    assert main(["framework", "import", str(ladder), "--org", "nope"]) == 1
    assert "no organization with slug 'nope'" in capsys.readouterr().err
    assert not Framework.objects.exists()


def test_export_of_an_unknown_framework_fails_cleanly(db, capsys):
    assert main(["framework", "export", "nope", "--format", "yaml"]) == 1
    assert "no framework 'nope' in the library" in capsys.readouterr().err


def test_diff_of_two_files_lists_what_changed(ladder, tmp_path, capsys):
    changed = tmp_path / "changed.yaml"
    changed.write_text(ladder.read_text().replace("name: Reviews", "name: Code Reviews"))
    assert main(["framework", "diff", str(ladder), str(changed)]) == 0
    out = capsys.readouterr().out
    assert "reviews" in out.lower()
    assert "renamed" in out.lower() or "code reviews" in out.lower()


def test_diff_of_identical_files_says_so(ladder, capsys):
    assert main(["framework", "diff", str(ladder), str(ladder)]) == 0
    assert capsys.readouterr().out.strip() == "no differences"


def test_diff_of_stored_versions(db, ladder, tmp_path, capsys):
    assert main(["framework", "import", str(ladder), "--publish"]) == 0
    changed = tmp_path / "changed.yaml"
    changed.write_text(ladder.read_text().replace("name: Reviews", "name: Code Reviews"))
    assert main(["framework", "import", str(changed), "--publish", "--new-version"]) == 0
    capsys.readouterr()
    assert main(["framework", "diff", "tiny@1", "tiny", "--format", "json"]) == 0
    assert "Code Reviews" in capsys.readouterr().out


def test_diff_of_an_unknown_version_fails_cleanly(db, ladder, capsys):
    assert main(["framework", "diff", str(ladder), "tiny@9"]) == 1
    assert "no stored version 'tiny@9'" in capsys.readouterr().err
