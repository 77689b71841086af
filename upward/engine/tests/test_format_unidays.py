from __future__ import annotations

import pytest

from upward.engine.formats import unidays
from upward.engine.issues import FrameworkError
from upward.engine.tests.conftest import FIXTURES, expected


@pytest.fixture
def files() -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((FIXTURES / "unidays").iterdir())}


def errors(files) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        unidays.read_files(files)
    return [str(i) for i in caught.value.issues]


def test_competency_files_become_areas_and_topics_competencies_with_scales(files):
    fw = unidays.read_files(files).framework
    assert [(a.key, a.name) for a in fw.areas] == [("workshop-skills", "Workshop")]
    assert [(c.key, c.name) for c in fw.competencies] == [
        ("woodwork", "Woodwork"),
        ("communication", "Communication"),
    ]
    step = fw.competency("woodwork").scale[0]
    assert (step.key, step.name, step.signals) == ("1", "Starter", ["Measures twice", "Cuts once"])


def test_roles_in_the_department_tree_become_tracks(files):
    fw = unidays.read_files(files).framework
    assert [(t.key, t.description) for t in fw.tracks] == [
        ("carpenter", "Workshop Roles / Making"),
        ("painter", "Workshop Roles / Making / Finishing"),
    ]
    assert [lv.key for lv in fw.levels_of("carpenter")] == ["junior-carpenter", "senior-carpenter"]


def test_references_resolve_through_the_path_fields(files):
    fw = unidays.read_files(files).framework
    assert fw.required_step("woodwork", "senior-carpenter") == "2"
    optional = expected(fw, "communication", "junior-carpenter")
    assert (optional.step, optional.optional) == ("1", True)


def test_a_misplaced_optional_list_is_recovered_when_it_resolves(files):
    result = unidays.read_files(files)
    assert expected(result.framework, "woodwork", "painter-1").optional
    assert [str(w) for w in result.warnings][-2:] == [
        "roles.json:45: warning: departments[0].departments[0].roles[0].levels[0].optional[0]:"
        " 'optional' belongs inside 'competencies'; 'workshop-skills/woodwork/1' read as optional",
        "roles.json:45: warning: departments[0].departments[0].roles[0].levels[0].optional[1]:"
        " 'optional' belongs inside 'competencies'; 'workshop-skills/paint/9' ignored: it does not"
        " resolve",
    ]


def test_an_unknown_reference_is_an_error_with_file_and_line(files):
    files["roles.json"] = files["roles.json"].replace(
        '"required": ["workshop-skills/woodwork/1"]', '"required": ["workshop-skills/woodwork/7"]'
    )
    assert errors(files) == [
        "roles.json:18: departments[0].roles[0].levels[0].competencies.required[0]: unknown"
        " competency reference 'workshop-skills/woodwork/7' (expected '<competency file"
        " path>/<topic path>/<level path>')"
    ]


def test_the_file_name_does_not_matter_only_the_path_field(files):
    files["renamed.json"] = files.pop("skills.json")
    assert len(unidays.read_files(files).framework.competencies) == 2


def test_role_files_without_competency_files_are_refused(files):
    del files["skills.json"]
    assert errors(files) == [
        "no competency files (with topics): give the competency and role files together"
    ]


def test_a_truncated_file_is_refused_with_its_name_and_line(files):
    files["skills.json"] = files["skills.json"][:400]
    [message] = errors(files)
    assert message.startswith("skills.json:")
    assert message.endswith(
        "a text that never ends: unexpected end of file (is the file truncated?)"
    )


def test_duplicate_json_keys_are_refused(files):
    files["skills.json"] = files["skills.json"].replace(
        '"theme": "craft",', '"theme": "craft", "theme": "x",', 1
    )
    assert errors(files) == ["skills.json:4: theme: duplicate key 'theme'"]
