"""Import the real, public frameworks in ../shared/frameworks (test data only).

The counts below were worked out from the files themselves. Nothing from these
files is copied into the project: the tests read them where they live and skip
when the folder is absent (a fresh clone has no ../shared).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from upward.engine.formats import read_any, read_many, upward, write
from upward.engine.framework import FrameworkDocument, ImportResult
from upward.engine.issues import FrameworkError

SHARED = (Path(__file__).resolve().parents[3] / "../shared/frameworks").resolve()

pytestmark = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the real frameworks are not here ({SHARED} is absent)"
)


def one(path: str) -> ImportResult:
    return read_any((SHARED / path).read_bytes(), path)


def many(folder: str, pattern: str) -> ImportResult:
    files = {
        str(p.relative_to(SHARED / folder)): p.read_bytes() for p in (SHARED / folder).glob(pattern)
    }
    return read_many(files)


def snowflake() -> ImportResult:
    return one("snowflake_medium_constants.js")


def ft() -> ImportResult:
    return one("ft_engineering_job_family.yml")


def ladders() -> ImportResult:
    return many("jorgef_engineeringladders", "*.md")


def unidays() -> ImportResult:
    return many("unidays", "*/*.json")


def case() -> ImportResult:
    return one("case/opensalt_sample_what_standards_could_be.case.json")


def monzo_backend() -> ImportResult:
    return one("monzo/engineering_backend.md")


def monzo_design() -> ImportResult:
    return one("monzo/design_product-design.md")


ALL = [snowflake, ft, ladders, unidays, case, monzo_backend, monzo_design]


def test_snowflake_has_16_competencies_in_4_areas_with_milestone_scales():
    result = snowflake()
    fw = result.framework
    assert result.format == "snowflake"
    assert len(fw.competencies) == 16
    assert [a.key for a in fw.areas] == ["a", "b", "c", "d"]
    assert Counter(c.area for c in fw.competencies) == {"a": 4, "b": 4, "c": 4, "d": 4}
    assert {len(c.scale) for c in fw.competencies} == {6}
    assert fw.competency("mobile").scale[0].key == "0"
    assert sum(len(s.signals) for c in fw.competencies for s in c.scale) == 240
    assert fw.expectations == []


def test_snowflake_points_become_the_level_rule():
    fw = snowflake().framework
    rule = fw.level_rule
    assert rule is not None
    assert rule.step_points == {"0": 0, "1": 1, "2": 3, "3": 6, "4": 12, "5": 20}
    assert len(rule.thresholds) == 15
    assert (rule.thresholds[0].min_points, rule.thresholds[-1].min_points) == (0, 135)
    assert len(fw.levels_of("engineering")) == 15
    assert len(rule.titles) == 8
    assert rule.level_for(36) == "3.1"
    assert len(rule.titles_for(40)) == 2  # IC and manager titles share the band


def test_ft_has_8_levels_9_themes_and_two_tracks_from_ic_and_pm():
    fw = ft().framework
    assert len(fw.competencies) == 9
    assert len({lv.key for t in fw.tracks for lv in fw.levels_of(t.key)}) == 8
    assert [t.key for t in fw.tracks] == ["ic", "pm"]
    assert [lv.key for lv in fw.levels_of("ic")] == [
        "junior",
        "engineer",
        "senior-1",
        "senior-2-ic",
        "principal-ic",
        "tech-director",
    ]
    assert [lv.key for lv in fw.levels_of("pm")][3:5] == ["senior-2-pm", "principal-pm"]
    assert len(fw.expectations) == 72
    steps = Counter(e.step for e in fw.expectations)
    assert steps == {
        "working-knowledge": 17,
        "foundational": 15,
        "practitioner": 15,
        "expert": 14,
        "awareness": 11,
    }


def test_monzo_backend_has_five_topics_over_six_sparse_levels():
    fw = monzo_backend().framework
    assert [c.key for c in fw.competencies] == [
        "communication",
        "impact",
        "leadership",
        "influence",
        "mastery",
    ]
    assert len(fw.levels_of(fw.tracks[0].key)) == 6
    assert len(fw.expectations) == 28
    assert [e.level for e in fw.expectations if e.competency == "leadership"] == [
        "level-3",
        "level-4",
        "level-5",
        "level-6",
    ]
    assert sum(len(e.signals) for e in fw.expectations) == 135
    assert sum(len(e.examples) for e in fw.expectations) == 22


def test_monzo_prose_design_has_three_headings_over_six_levels():
    fw = monzo_design().framework
    assert [c.key for c in fw.competencies] == ["knowledge", "ownership", "collaboration"]
    assert len(fw.expectations) == 18
    assert all(e.summary for e in fw.expectations)


def test_engineering_ladders_have_five_axes_and_a_track_per_ladder():
    fw = ladders().framework
    assert [c.key for c in fw.competencies] == [
        "technology",
        "system",
        "people",
        "process",
        "influence",
    ]
    assert {len(c.scale) for c in fw.competencies} == {5}
    assert [lv.code for lv in fw.levels_of("developer")] == [
        "D1",
        "D2",
        "D3",
        "D4",
        "D5",
        "D6",
        "D7",
    ]
    assert [lv.code for lv in fw.levels_of("engineering-manager")] == ["EM5", "EM6", "EM7"]
    assert len(fw.expectations) == 50
    assert fw.required_step("influence", "d7") == "community"
    assert fw.required_step("people", "em5") == "manages"


def test_unidays_roles_resolve_every_reference():
    result = unidays()
    fw = result.framework
    assert len(fw.areas) == 5
    assert len(fw.competencies) == 25
    assert len(fw.tracks) == 17
    assert sum(len(fw.levels_of(t.key)) for t in fw.tracks) == 39
    assert len(fw.expectations) == 324
    assert sum(e.optional for e in fw.expectations) == 14
    assert sum(len(s.signals) for c in fw.competencies for s in c.scale) == 472
    # The one stray list outside `competencies` names a topic that does not exist.
    [stray] = [w for w in result.warnings if "belongs inside" in w.message]
    assert stray.file == "roles/product-and-engineering.json"


def test_the_case_sample_maps_items_and_tolerates_its_quirks():
    result = case()
    fw = result.framework
    assert len(fw.areas) == 2
    assert len(fw.competencies) == 14
    assert [lv.key for lv in fw.levels_of("levels")] == ["06", "07"]
    assert len(fw.expectations) == 14
    assert sum(1 for e in fw.expectations if e.examples) == 6
    messages = Counter(w.message.split(":")[0] for w in result.warnings)
    assert messages["'educationalLevel' read as 'educationLevel'"] == 16
    assert sum("sequenceNumber is the text" in w.message for w in result.warnings) == 2
    assert sum("null description" in w.message for w in result.warnings) == 3


@pytest.mark.parametrize("load", ALL, ids=lambda f: f.__name__)
def test_every_real_framework_survives_yaml_round_trip(load):
    fw: FrameworkDocument = load().framework
    assert upward.read(upward.write_yaml(fw), "again.yaml").framework == fw


@pytest.mark.parametrize("load", ALL, ids=lambda f: f.__name__)
@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "case"])
def test_every_real_framework_survives_the_other_formats(load, fmt):
    fw: FrameworkDocument = load().framework
    assert read_any(write(fw, fmt), f"again.{fmt}").framework == fw


@pytest.mark.parametrize("load", ALL, ids=lambda f: f.__name__)
def test_every_real_framework_renders(load):
    fw: FrameworkDocument = load().framework
    assert write(fw, "markdown").startswith(b"# ")
    assert write(fw, "html").startswith(b"<!DOCTYPE html>")


def test_the_schema_files_next_to_the_data_are_not_frameworks():
    for name in [
        "ft_job_family.schema.json",
        "unidays/roles-schema.json",
        "case/case-v1p0-cfpackage-schema.json",
    ]:
        with pytest.raises(FrameworkError, match="unrecognised framework format"):
            one(name)
