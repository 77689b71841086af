from __future__ import annotations

import pytest

from upward.engine.formats import ft
from upward.engine.issues import FrameworkError
from upward.engine.tests.conftest import expected, fixture_text


@pytest.fixture
def text():
    return fixture_text("tiny_job_family.yml")


def read(text):
    return ft.read(text, "bakery.yml")


def errors(text) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        read(text)
    return [str(i) for i in caught.value.issues]


def test_themes_become_competencies_with_the_proficiency_scale(text):
    fw = read(text).framework
    assert [c.key for c in fw.competencies] == ["dough", "customers"]
    assert [s.key for s in fw.competency("dough").scale] == [
        "awareness",
        "foundational",
        "working-knowledge",
        "practitioner",
        "expert",
    ]
    assert [c.kind for c in fw.competencies] == ["skill", "impact"]
    assert fw.competency("customers").description == "Bread people come back for."


def test_ic_and_pm_levels_become_two_tracks_sharing_the_common_levels(text):
    fw = read(text).framework
    assert [(t.key, t.name) for t in fw.tracks] == [
        ("ic", "Individual Contributor"),
        ("pm", "People Manager"),
    ]
    assert [lv.key for lv in fw.levels_of("ic")] == ["apprentice", "baker", "head-ic", "master"]
    assert [lv.key for lv in fw.levels_of("pm")] == ["apprentice", "baker", "head-pm", "master"]
    assert [lv.rank for lv in fw.levels_of("pm")] == [1, 2, 3, 4]
    assert fw.level("head-ic").rank == fw.level("head-pm").rank


def test_each_entry_is_an_expectation_requiring_its_proficiency(text):
    fw = read(text).framework
    assert len(fw.expectations) == 5
    assert fw.required_step("dough", "baker") == "working-knowledge"
    assert expected(fw, "dough", "apprentice").summary == "Weighs ingredients accurately."
    assert expected(fw, "dough", "baker").examples == ["Ran the Saturday rye batch"]
    assert expected(fw, "customers", "head-pm").examples == ["Rush guide: https://example.org/rush"]


def test_a_level_naming_a_missing_theme_is_an_error_with_its_line(text):
    assert errors(
        text.replace("theme: customers\n    summary: Plans", "theme: cutsomers\n    summary: Plans")
    ) == ["bakery.yml:56: competencies[3].theme: unknown theme 'cutsomers' (customers, dough)"]


def test_an_entry_naming_a_missing_level_is_an_error_with_its_line(text):
    assert errors(text.replace("level: master", "level: grand-master")) == [
        "bakery.yml:64: competencies[4].level: unknown level 'grand-master'"
        " (apprentice, baker, head-ic, head-pm, master)"
    ]


def test_duplicate_theme_ids_are_refused(text):
    assert errors(text.replace("id: customers", "id: dough")) == [
        "bakery.yml:27: themes[1].id: duplicate theme id 'dough' (also themes[0])"
    ]


def test_duplicate_yaml_keys_are_refused(text):
    assert errors(text.replace("name: Bakery\n", "name: Bakery\nname: Bread\n")) == [
        "bakery.yml:2: name: duplicate key 'name'"
    ]


def test_an_unknown_proficiency_is_an_error_but_a_case_slip_is_recovered(text):
    assert errors(text.replace("proficiency: Expert", "proficiency: Wizard")) == [
        "bakery.yml:67: competencies[4].proficiency: unknown proficiency 'Wizard'"
        " (Awareness, Foundational, Working knowledge, Practitioner, Expert)"
    ]
    result = read(text.replace("proficiency: Expert", "proficiency: expert"))
    assert "proficiency 'expert' read as 'Expert'" in [w.message for w in result.warnings]


def test_a_tab_in_the_yaml_is_recovered_with_a_warning(text):
    result = read(text.replace("\n  - id: baker\n", "\n\t- id: baker\n"))
    assert [lv.key for lv in result.framework.levels_of("ic")][1] == "baker"
    assert "bakery.yml:10: warning: TAB in indentation, read as 2 spaces" in [
        str(w) for w in result.warnings
    ]


def test_a_number_where_a_name_belongs_is_read_as_text(text):
    result = read(text.replace("name: Baker\n", "name: 42\n"))
    assert result.framework.level("baker").title == "42"
    assert (
        "bakery.yml:11: warning: levels[1].name: expected text, found the number 42; read as '42'"
        in [str(w) for w in result.warnings]
    )


def test_an_empty_job_family_is_refused(text):
    empty = "name: Nothing\nsummary: none\nlevels: []\nthemes: []\ncompetencies: []\n"
    assert errors(empty) == [
        "bakery.yml: competencies: the framework has no competencies",
        "bakery.yml: tracks[0].levels: track 'nothing' has no levels",
    ]


def test_a_truncated_file_is_refused_with_the_line(text):
    cut = text[: text.index("proficiency: Practitioner")] + "proficiency: [Pract"
    [message] = errors(cut)
    assert message.startswith("bakery.yml:")
    assert "YAML syntax error" in message


def test_several_statements_for_one_theme_and_level_are_merged_with_a_warning(text):
    extra = (
        "\n  - id: 0b0a5a52-2f2d-4d0e-9d3c-000000000006\n    level: baker\n    theme: dough\n"
        "    summary: Keeps the oven log.\n    proficiency: Practitioner\n"
    )
    result = read(text + extra)
    e = expected(result.framework, "dough", "baker")
    assert e.summary == "Shapes loaves without help.\n\nKeeps the oven log."
    assert e.step == "practitioner"
    assert "merged" in result.warnings[-1].message


def test_detect_needs_levels_themes_and_competencies(text):
    assert ft.detect(text)
    assert not ft.detect("levels: []\ncompetencies: []\ntracks: []\n")
