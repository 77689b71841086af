from __future__ import annotations

import pytest

from upward.engine.formats import snowflake
from upward.engine.issues import FrameworkError
from upward.engine.tests.conftest import fixture_text


@pytest.fixture
def text():
    return fixture_text("tiny_constants.js")


def read(text):
    return snowflake.read(text, "constants.js")


def test_tracks_become_competencies_with_milestones_as_their_own_scale(text):
    fw = read(text).framework
    assert [c.key for c in fw.competencies] == ["lamps", "logbook", "rescue"]
    lamps = fw.competency("lamps")
    assert [s.key for s in lamps.scale] == ["0", "1", "2", "3"]
    assert lamps.scale[1].description == "Cleans the lens on schedule"
    assert lamps.scale[1].signals == ["Logs each cleaning", 'Reports "cloudy" glass']
    assert lamps.scale[0].name == "Milestone 0"


def test_categories_become_areas_and_the_first_category_holds_skills(text):
    fw = read(text).framework
    assert [(a.key, a.name) for a in fw.areas] == [("a", "Category A"), ("b", "Category B")]
    assert [c.kind for c in fw.competencies] == ["skill", "behavior", "behavior"]


def test_the_switch_gives_the_points_and_the_thresholds_give_the_levels(text):
    fw = read(text).framework
    rule = fw.level_rule
    assert rule is not None
    assert rule.step_points == {"0": 0, "1": 2, "2": 5, "3": 9}
    assert [(t.min_points, t.level) for t in rule.thresholds] == [
        (0, "1.1"),
        (6, "1.2"),
        (14, "2.1"),
    ]
    assert [lv.title for lv in fw.levels_of("engineering")] == [
        "Keeper",
        "Keeper",
        "Head Keeper / Harbour Lead",
    ]
    assert rule.titles_for(20) == ["Head Keeper", "Harbour Lead"]
    assert fw.expectations == []


def test_without_the_switch_the_snowflake_points_are_assumed_with_a_warning(text):
    start = text.index("export const milestoneToPoints")
    end = text.index("export const pointsToLevels")
    result = read(text[:start] + text[end:])
    assert result.framework.level_rule.step_points["3"] == 6
    assert "no `switch` mapping milestones to points" in result.warnings[0].message


def test_a_declared_milestone_count_that_disagrees_is_a_warning(text):
    result = read(
        text.replace(
            "export const milestones = [0, 1, 2, 3]", "export const milestones = [0, 1, 2]"
        )
    )
    messages = [str(w) for w in result.warnings]
    assert messages[0] == (
        "constants.js:39: warning: tracks.LAMPS: `milestones` declares 3 milestones (with 0)"
        " but this track has 4"
    )


def test_a_truncated_file_names_the_line_where_it_ends(text):
    with pytest.raises(FrameworkError) as caught:
        read(text[: text.index('"LOGBOOK"')])
    [issue] = caught.value.issues
    assert issue.message == "JavaScript: expected a value: the file ends here (is it truncated?)"
    assert (issue.file, issue.line) == ("constants.js", 56)


def test_an_unterminated_string_is_refused_with_its_line(text):
    broken = text.replace('"Repairs the rotation gear",', '"Repairs the rotation gear,')
    with pytest.raises(FrameworkError) as caught:
        read(broken)
    assert str(caught.value) == "constants.js:48: JavaScript: a string or comment that never ends"


def test_a_missing_display_name_is_an_error_with_its_line(text):
    with pytest.raises(FrameworkError) as caught:
        read(text.replace('"displayName": "Logbook",', ""))
    assert str(caught.value) == ("constants.js:57: tracks.LOGBOOK.displayName: is required")


def test_a_number_where_text_belongs_is_an_error(text):
    with pytest.raises(FrameworkError) as caught:
        read(text.replace('"summary": "Leads a night drill"', '"summary": 42'))
    assert str(caught.value) == (
        "constants.js:84: tracks.RESCUE.milestones[1].summary: expected a text, found a number"
    )


def test_points_that_are_not_numbers_are_refused(text):
    with pytest.raises(FrameworkError) as caught:
        read(text.replace("'6': '1.2'", "'six': '1.2'"))
    assert str(caught.value) == (
        "constants.js:22: pointsToLevels.six: expected points as a whole number, found 'six'"
    )


def test_a_file_without_tracks_is_refused(text):
    with pytest.raises(FrameworkError, match=r"no `const tracks = \.\.\.` in the file"):
        read(text.replace("export const tracks: Tracks", "export const roads: Tracks"))


def test_more_milestones_than_points_is_an_error(text):
    extra = (
        '{\n      "summary": "Invents a new lamp",\n      "signals": [],\n'
        '      "examples": [],\n    }],\n  },\n  "LOGBOOK"'
    )
    with pytest.raises(FrameworkError, match="4 milestones but points only for milestones 0 to 3"):
        read(text.replace('}],\n  },\n  "LOGBOOK"', "}, " + extra, 1))


def test_detect_needs_tracks_milestones_and_points(text):
    assert snowflake.detect(text)
    assert not snowflake.detect("export const tracks = {}")


def test_a_deeply_nested_literal_is_refused(text):
    nested = "[" * 500 + "]" * 500
    with pytest.raises(FrameworkError, match="nested too deeply"):
        read(
            text.replace(
                "export const milestones = [0, 1, 2, 3]", f"export const titles = {nested}"
            )
        )
