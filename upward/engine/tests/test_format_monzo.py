from __future__ import annotations

import pytest

from upward.engine.formats import monzo
from upward.engine.issues import FrameworkError
from upward.engine.tests.conftest import expected, fixture_text


@pytest.fixture
def text():
    return fixture_text("tiny_monzo.md")


@pytest.fixture
def prose():
    return fixture_text("tiny_monzo_prose.md")


def errors(text) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        monzo.read(text, "chef.md")
    return [str(i) for i in caught.value.issues]


def test_topics_become_competencies_and_criteria_signals(text):
    fw = monzo.read(text, "chef.md").framework
    assert (fw.key, fw.name) == ("kitchen-chef", "Chef Framework")
    assert [(c.key, c.name) for c in fw.competencies] == [
        ("knife-work", "Knife work"),
        ("menu-impact", "Menu impact"),
    ]
    assert [lv.key for lv in fw.levels_of("kitchen-chef")] == ["level-1", "level-2", "level-3"]
    senior = expected(fw, "knife-work", "level-3")
    assert senior.signals == ["Teaches knife safety", "Shows juniors the claw grip"]
    assert senior.examples == ["Ran a Friday knife clinic"]


def test_levels_are_sparse_per_topic(text):
    fw = monzo.read(text, "chef.md").framework
    assert fw.expectation("knife-work", "level-2") is None
    assert fw.expectation("menu-impact", "level-1") is None
    assert len(fw.expectations) == 3


def test_a_declared_level_count_that_disagrees_with_the_content_is_a_warning(text):
    result = monzo.read(text.replace("levels: 3", "levels: 2"), "chef.md")
    assert str(result.warnings[0]) == (
        "chef.md:7: warning: levels: declares 2 levels but the content goes up to level 3: using 3"
    )
    assert len(result.framework.levels_of("kitchen-chef")) == 3


def test_a_level_given_as_text_is_read_as_a_number_with_a_warning(text):
    result = monzo.read(text.replace("- level: 2", '- level: "2"'), "chef.md")
    assert result.framework.expectation("menu-impact", "level-2") is not None
    assert str(result.warnings[0]) == (
        "chef.md:26: warning: topics[1].content[0].level: expected a level number, found the"
        " text '2'; read as 2"
    )


def test_a_level_that_is_not_a_number_is_an_error_with_its_line(text):
    assert errors(text.replace("- level: 2", "- level: two")) == [
        "chef.md:26: topics[1].content[0].level: must be a level number (1, 2, ...), found 'two'"
    ]


def test_duplicate_topics_are_refused(text):
    assert errors(text.replace('name: "menu-impact"', 'name: "knife-work"')) == [
        "chef.md:23: competencies[1].key: duplicate competency key 'knife-work'"
        " (first used at competencies[0])"
    ]


def test_front_matter_that_never_ends_is_a_truncated_file(text):
    assert errors(text[: text.index("---\n### About")]) == [
        "chef.md:29: the front matter never ends (no closing '---'): is the file truncated?"
    ]


def test_a_tab_in_the_front_matter_is_recovered(text):
    result = monzo.read(
        text.replace('\n  - name: "menu-impact"', '\n\t- name: "menu-impact"'), "chef.md"
    )
    assert len(result.framework.competencies) == 2
    assert str(result.warnings[0]) == "chef.md:23: warning: TAB in indentation, read as 2 spaces"


def test_the_prose_variant_reads_headings_as_competencies(prose):
    fw = monzo.read(prose, "gardener.md").framework
    assert [c.key for c in fw.competencies] == ["soil", "teamwork"]
    assert expected(fw, "soil", "level-2").summary == (
        "You plan crop rotation for the season.\n\nIt works in wet years too."
    )
    assert [lv.title for lv in fw.levels_of("garden-gardener")] == ["Level 1", "Level 2"]


def test_a_prose_file_without_levels_is_refused(prose):
    body_start = prose.index("## Level 1")
    assert errors(prose[:body_start] + "Nothing here.\n") == [
        "chef.md: no topics in the front matter and no '## Level N' sections with '### Heading'"
    ]


def test_detect_needs_front_matter(text, prose):
    assert monzo.detect(text)
    assert monzo.detect(prose)
    assert not monzo.detect("## Level 1\n### Soil\n")
