from __future__ import annotations

import pytest

from upward.engine.formats import ladders
from upward.engine.issues import FrameworkError
from upward.engine.tests.conftest import FIXTURES, expected


@pytest.fixture
def files() -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((FIXTURES / "ladders").iterdir())}


def errors(files) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        ladders.read_files(files)
    return [str(i) for i in caught.value.issues]


def test_axes_become_competencies_with_their_keywords_as_steps(files):
    fw = ladders.read_files(files).framework
    assert [c.key for c in fw.competencies] == ["sails", "crew"]
    assert [s.key for s in fw.competency("sails").scale] == ["trims", "reads", "races"]
    assert fw.competency("crew").description == "working with people"
    assert fw.competency("sails").scale[1].description == "reads the wind without help"


def test_each_ladder_file_is_a_track_and_its_sections_are_levels(files):
    fw = ladders.read_files(files).framework
    assert [(t.key, t.name) for t in fw.tracks] == [
        ("deckhand", "Deckhand"),
        ("skipper", "Skipper"),
    ]
    assert [(lv.key, lv.code, lv.title, lv.rank) for lv in fw.levels_of("deckhand")] == [
        ("s1", "S1", "Deckhand 1", 1),
        ("s2", "S2", "Deckhand 2", 2),
    ]
    assert fw.track("deckhand").description == "Works the deck and learns the boat."


def test_bullets_match_axes_by_their_bold_keyword(files):
    fw = ladders.read_files(files).framework
    assert fw.required_step("sails", "s2") == "reads"
    assert fw.required_step("crew", "k2") == "skippers"
    assert expected(fw, "crew", "s1").summary == "repeats every command back"
    assert len(fw.expectations) == 6


def test_an_unknown_keyword_is_an_error_with_file_and_line(files):
    files["Skipper.md"] = files["Skipper.md"].replace("**Races**", "**Sprints**")
    assert errors(files) == ["Skipper.md:7: 'Sprints' is not a step of any axis in the README"]


def test_two_bullets_for_one_axis_in_a_level_is_an_error(files):
    files["Skipper.md"] = files["Skipper.md"].replace("**Skippers**", "**Reads**")
    assert errors(files) == ["Skipper.md:8: a second bullet for axis 'Sails' in K2"]


def test_ladder_files_without_the_readme_are_refused(files):
    del files["README.md"]
    assert errors(files) == [
        "no README defining the axes: give the README.md and the ladder files together"
    ]


def test_a_readme_alone_is_refused(files):
    assert errors({"README.md": files["README.md"]}) == [
        "README.md: no ladder files (e.g. Developer.md): give them with the README"
    ]


def test_a_file_that_is_neither_is_refused(files):
    files["notes.md"] = "# Notes\n\nJust notes.\n"
    assert errors(files) == ["notes.md: not a README or ladder file"]


def test_the_readme_is_found_by_content_not_by_name(files):
    files["axes.md"] = files.pop("README.md")
    assert len(ladders.read_files(files).framework.tracks) == 2
