from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from upward.engine.framework import FrameworkDocument, framework_json_schema, parse_framework
from upward.engine.issues import FrameworkError
from upward.engine.tests.conftest import minimal


def errors_of(doc: dict) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        parse_framework(doc)
    return [f"{i.path}: {i.message}" for i in caught.value.issues]


def test_levels_of_a_track_include_shared_levels_in_order(orbit):
    assert [lv.key for lv in orbit.levels_of("mgr")] == ["ic1", "ic2", "m1"]
    assert [lv.key for lv in orbit.levels_of("ic")] == ["ic1", "ic2", "ic3"]


def test_a_shared_level_belongs_to_every_track_that_lists_it(orbit):
    assert [t.key for t in orbit.tracks_of("ic2")] == ["ic", "mgr"]
    assert [t.key for t in orbit.tracks_of("m1")] == ["mgr"]


def test_next_level_follows_the_track_and_is_none_at_the_top(orbit):
    assert orbit.next_level("mgr", "ic2").key == "m1"
    assert orbit.next_level("ic", "ic2").key == "ic3"
    assert orbit.next_level("ic", "ic3") is None


def test_next_level_refuses_a_level_that_is_not_on_the_track(orbit):
    with pytest.raises(KeyError, match="not on track"):
        orbit.next_level("ic", "m1")


def test_expectation_lookup_by_competency_and_level(orbit):
    assert orbit.expectation("shipping", "ic2").summary == "Ships a feature end to end."
    assert orbit.expectation("mentoring", "ic1") is None


def test_required_step_is_the_own_scale_step_or_the_level_itself(orbit):
    assert orbit.required_step("calibration", "ic2") == "practising"
    assert orbit.required_step("shipping", "ic3") == "ic3"
    assert orbit.required_step("mentoring", "ic1") is None


def test_steps_are_the_own_scale_or_the_levels_of_the_track(orbit):
    assert [s.key for s in orbit.steps("calibration")] == ["aware", "practising", "leading"]
    assert [s.key for s in orbit.steps("shipping", "mgr")] == ["ic1", "ic2", "m1"]
    assert orbit.step_index("calibration", "leading") == 2


def test_steps_of_a_competency_without_a_scale_need_a_track_when_there_are_several(orbit):
    with pytest.raises(ValueError, match="name a track"):
        orbit.steps("shipping")


def test_lookups_name_what_is_missing(orbit):
    with pytest.raises(KeyError, match="unknown competency 'nope'"):
        orbit.competency("nope")


def test_expectations_at_a_level_come_in_competency_order(orbit):
    keys = [e.competency for e in orbit.expectations_at("m1")]
    assert keys == ["shipping", "calibration", "mentoring"]


def test_level_label_joins_code_and_title(orbit):
    assert orbit.level("ic3").label == "IC3 Staff Instrument Engineer"


def test_to_dict_leaves_out_defaults_but_keeps_the_format_version(orbit):
    data = orbit.to_dict()
    assert data["format_version"] == 1
    assert "weight" not in data["competencies"][1]
    assert data["competencies"][0]["weight"] == 2.0


def test_content_hash_is_stable_and_changes_with_content(orbit):
    again = FrameworkDocument.model_validate(orbit.to_dict())
    assert again.content_hash() == orbit.content_hash()
    changed = orbit.to_dict()
    changed["name"] = "Orbit"
    assert FrameworkDocument.model_validate(changed).content_hash() != orbit.content_hash()


def test_json_is_sorted_and_stable(orbit):
    text = orbit.to_json()
    assert text == FrameworkDocument.model_validate_json(text).to_json()
    top = list(json.loads(text))
    assert top == sorted(top)


def test_model_validate_refuses_broken_references_in_one_error():
    doc = minimal()
    doc["competencies"][0]["area"] = "craf"
    with pytest.raises(ValidationError, match=r"competencies\[0\]\.area: unknown area 'craf'"):
        FrameworkDocument.model_validate(doc)


def test_an_unknown_area_names_the_path_and_the_known_areas():
    doc = minimal()
    doc["competencies"][0]["area"] = "craf"
    assert errors_of(doc) == ["competencies[0].area: unknown area 'craf' (known: craft)"]


def test_duplicate_keys_are_errors_that_point_at_the_first_use():
    doc = minimal()
    doc["competencies"].append(dict(doc["competencies"][0]))
    assert errors_of(doc) == [
        "competencies[1].key: duplicate competency key 'code' (first used at competencies[0])"
    ]


def test_level_keys_are_unique_across_tracks():
    doc = minimal()
    doc["tracks"].append({"key": "m", "name": "M", "levels": [{"key": "one", "title": "Lead"}]})
    assert errors_of(doc) == [
        "tracks[1].levels[0].key: duplicate level key 'one' (first defined at tracks[0].levels[0])"
    ]


def test_a_shared_level_must_exist():
    doc = minimal()
    doc["tracks"].append({"key": "m", "name": "M", "levels": [{"ref": "zero"}]})
    assert errors_of(doc) == [
        "tracks[1].levels[0].ref: unknown level 'zero': a shared level must be defined in"
        " another track"
    ]


def test_an_empty_framework_is_refused_with_every_reason():
    doc = minimal(competencies=[], tracks=[], expectations=[])
    assert errors_of(doc) == [
        "competencies: the framework has no competencies",
        "tracks: the framework has no tracks",
    ]


def test_an_expectation_for_a_step_the_scale_does_not_have_is_refused():
    doc = minimal()
    doc["competencies"][0]["scale"] = [{"key": "basic", "name": "Basic"}]
    doc["expectations"][0]["step"] = "expert"
    assert errors_of(doc) == [
        "expectations[0].step: competency 'code' has no step 'expert' (known: basic)"
    ]


def test_an_expectation_must_name_a_step_when_the_competency_has_a_scale():
    doc = minimal()
    doc["competencies"][0]["scale"] = [{"key": "basic", "name": "Basic"}]
    assert errors_of(doc) == [
        "expectations[0].step: competency 'code' has its own scale: name a step (known: basic)"
    ]


def test_a_step_on_a_competency_without_a_scale_is_refused():
    doc = minimal()
    doc["expectations"][0]["step"] = "one"
    assert errors_of(doc) == [
        "expectations[0].step: competency 'code' has no scale of its own; leave the step out"
    ]


def test_unknown_competency_and_level_and_a_second_expectation_are_all_reported():
    doc = minimal()
    doc["expectations"] += [
        {"competency": "cod", "level": "one"},
        {"competency": "code", "level": "three"},
        {"competency": "code", "level": "one"},
    ]
    assert errors_of(doc) == [
        "expectations[1].competency: unknown competency 'cod' (known: code)",
        "expectations[2].level: unknown level 'three' (known: one, two)",
        "expectations[3]: a second expectation for 'code' at 'one' (the first is expectations[0])",
    ]


def test_structural_errors_come_back_together_with_friendly_messages():
    doc = minimal()
    doc["competencies"][0].update(kind="craftsy", weight=0, colour="blue")
    doc["key"] = "Tiny Framework"
    assert errors_of(doc) == [
        "key: 'Tiny Framework' is not a valid key: use lowercase letters and digits, with"
        " single '-', '_' or '.' between them",
        "competencies[0].kind: must be 'impact', 'behavior' or 'skill', found 'craftsy'",
        "competencies[0].weight: must be greater than 0, found 0",
        "competencies[0].colour: unknown field (check the spelling)",
    ]


def test_a_level_missing_its_title_is_reported_without_the_union_tag():
    doc = minimal()
    del doc["tracks"][0]["levels"][1]["title"]
    assert errors_of(doc) == ["tracks[0].levels[1].title: is required"]


def test_hand_typing_slips_are_recovered_with_warnings():
    doc = minimal()
    doc["competencies"][0].update(weight="1.5", kind="Behaviour", description=None)
    doc["tracks"][0]["levels"][0]["rank"] = 2.0
    doc["expectations"][0]["signals"] = "Reviews code"
    result = parse_framework(doc)
    assert result.framework.competencies[0].weight == 1.5
    assert result.framework.competencies[0].kind == "behavior"
    assert result.framework.expectations[0].signals == ["Reviews code"]
    assert [f"{w.path}: {w.message}" for w in result.warnings] == [
        "competencies[0].description: empty value (null) read as empty text",
        "competencies[0].kind: kind 'Behaviour' read as 'behavior'",
        "competencies[0].weight: expected a number, found the text '1.5'; read as 1.5",
        "tracks[0].levels[0].rank: expected a whole number, found 2.0; read as 2",
        "expectations[0].signals: expected a list, found one text; read as a list of one",
    ]


def test_text_that_is_not_a_number_stays_an_error():
    doc = minimal()
    doc["competencies"][0]["weight"] = "heavy"
    assert errors_of(doc) == ["competencies[0].weight: must be a number, found 'heavy'"]


def test_a_document_that_is_not_a_mapping_is_refused():
    with pytest.raises(FrameworkError, match="must be a mapping"):
        parse_framework(["key", "tiny"])


def test_competencies_without_expectations_and_empty_areas_are_warnings():
    doc = minimal()
    doc["areas"].append({"key": "people", "name": "People"})
    doc["competencies"].append({"key": "talk", "name": "Talk", "area": "craft", "kind": "skill"})
    warnings = [str(w) for w in parse_framework(doc).warnings]
    assert warnings == [
        "warning: areas[1]: area 'people' has no competencies",
        "warning: competencies[1]: competency 'talk' has no expectation at any level",
    ]


def test_ranks_that_fall_along_a_track_are_a_warning():
    doc = minimal()
    doc["tracks"][0]["levels"][0]["rank"] = 3
    doc["tracks"][0]["levels"][1]["rank"] = 2
    [warn] = parse_framework(doc).warnings
    assert warn.path == "tracks[0].levels[1].rank"


def points_doc() -> dict:
    doc = minimal(expectations=[])
    doc["competencies"][0]["scale"] = [
        {"key": "0", "name": "None"},
        {"key": "1", "name": "Some"},
    ]
    doc["level_rule"] = {
        "kind": "points",
        "step_points": {"0": 0, "1": 5},
        "thresholds": [{"min_points": 0, "level": "one"}, {"min_points": 5, "level": "two"}],
        "titles": [
            {"title": "Engineer", "min_points": 0, "max_points": 4},
            {"title": "Senior", "min_points": 5, "tracks": ["ic"]},
        ],
    }
    return doc


def test_a_points_rule_maps_totals_to_levels_and_titles():
    rule = parse_framework(points_doc()).framework.level_rule
    assert rule is not None
    assert rule.level_for(0) == "one"
    assert rule.level_for(7) == "two"
    assert rule.titles_for(7) == ["Senior"]
    assert rule.titles_for(7, track="other") == []


def test_a_points_rule_checks_levels_order_steps_and_tracks():
    doc = points_doc()
    doc["level_rule"]["thresholds"] = [
        {"min_points": 5, "level": "two"},
        {"min_points": 3, "level": "three"},
    ]
    doc["level_rule"]["step_points"] = {"0": 0}
    doc["level_rule"]["titles"][1]["tracks"] = ["mgr"]
    assert errors_of(doc) == [
        "level_rule.thresholds[1].level: unknown level 'three' (known: one, two)",
        "level_rule.thresholds[1].min_points: thresholds must rise: 3 follows 5",
        "level_rule.step_points: no points for step '1' (used by code)",
        "level_rule.titles[1].tracks[0]: unknown track 'mgr' (known: ic)",
    ]


def test_a_points_rule_needs_every_competency_to_have_a_scale():
    doc = points_doc()
    doc["competencies"].append({"key": "talk", "name": "Talk", "area": "craft", "kind": "skill"})
    assert errors_of(doc) == [
        "competencies[1].scale: a points rule needs every competency to have its own scale"
        " ('talk' has none)"
    ]


def test_the_json_schema_describes_the_document():
    schema = framework_json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["additionalProperties"] is False
    assert {"key", "name"} <= set(schema["required"])
    assert "Expectation" in schema["$defs"]


def test_the_committed_schema_file_matches_the_models():
    committed = Path(__file__).resolve().parents[3] / "docs" / "framework.schema.json"
    assert json.loads(committed.read_text()) == framework_json_schema(), (
        "docs/framework.schema.json is stale: regenerate it with"
        " `upward framework schema > docs/framework.schema.json` or framework_json_schema()"
    )


def test_a_signal_of_only_spaces_is_refused():
    doc = minimal()
    doc["expectations"][0]["signals"] = ["   "]
    assert errors_of(doc) == ["expectations[0].signals[0]: must contain some text"]
