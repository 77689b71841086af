from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from upward.engine.formats import case, snowflake
from upward.engine.issues import FrameworkError
from upward.engine.tests.conftest import expected, fixture_text


@pytest.fixture
def text():
    return fixture_text("tiny_case.json")


def errors(text) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        case.read(text, "pottery.json")
    return [str(i) for i in caught.value.issues]


def test_a_generic_package_maps_clusters_to_areas_and_standards_to_competencies(text):
    fw = case.read(text, "pottery.json").framework
    assert (fw.key, fw.name) == ("pottery-standards", "Pottery Standards")
    assert [(a.key, a.name) for a in fw.areas] == [("pot.w", "POT.W")]
    assert [c.key for c in fw.competencies] == ["pot.w.1", "pot.w.2"]
    assert fw.competency("pot.w.1").description == "Centre the clay on the wheel."
    assert fw.attribution is not None
    assert fw.attribution.source == "Upward tests"


def test_education_levels_become_levels_and_expectations(text):
    fw = case.read(text, "pottery.json").framework
    assert [(lv.key, lv.title) for lv in fw.levels_of("levels")] == [
        ("01", "Level 01"),
        ("02", "Level 02"),
    ]
    e = expected(fw, "pot.w.1", "01")
    assert (e.summary, e.examples) == (
        "Centre the clay on the wheel.",
        ["For example, a one-kilo lump."],
    )
    assert fw.expectation("pot.w.2", "02") is not None


def test_the_quirks_of_real_packages_are_tolerated_with_warnings(text):
    warnings = [str(w) for w in case.read(text, "pottery.json").warnings]
    assert warnings[:3] == [
        "pottery.json:16: warning: CFItems[0].educationalLevel: 'educationalLevel' read as"
        " 'educationLevel'",
        "pottery.json:45: warning: CFAssociations[0].sequenceNumber: sequenceNumber is the text"
        " '1'; read as 1",
        "pottery.json:79: warning: CFDefinitions.CFItemTypes[0].description: null description"
        " read as empty",
    ]
    assert (
        "pottery.json:40: warning: CFAssociations: 1 'precedes' association(s) have no Upward"
        " equivalent and were not imported"
    ) in warnings


def test_a_sequence_number_that_is_not_a_number_is_refused(text):
    assert errors(text.replace('"sequenceNumber": "1"', '"sequenceNumber": "first"')) == [
        "pottery.json:45: CFAssociations[0].sequenceNumber: must be a whole number, found 'first'"
    ]


def test_a_package_without_a_document_is_refused(text):
    data = json.loads(text)
    del data["CFDocument"]
    assert errors(json.dumps(data)) == ["pottery.json:1: CFDocument: is required"]


def test_a_duplicate_item_identifier_is_refused(text):
    broken = text.replace(
        "00000000-0000-4000-8000-000000000012", "00000000-0000-4000-8000-000000000011"
    )
    assert errors(broken)[0] == (
        "pottery.json:31: CFItems[2].identifier: duplicate item identifier"
        " '00000000-0000-4000-8000-000000000011'"
    )


def test_a_truncated_package_names_the_line(text):
    [message] = errors(text[:1500])
    assert message.startswith("pottery.json:")
    assert "truncated" in message


def test_an_upward_export_reimports_to_the_same_document(orbit):
    again = case.read(case.write(orbit), "orbit.json")
    assert again.framework == orbit
    assert again.warnings == []


def test_a_points_rule_survives_the_case_round_trip():
    fw = snowflake.read(fixture_text("tiny_constants.js"), "constants.js").framework
    assert case.read(case.write(fw), "x.json").framework == fw


def test_the_export_is_case_1_1_with_stable_identifiers(orbit):
    when = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    first = json.loads(case.write(orbit, changed_at=when))
    assert first == json.loads(case.write(orbit, changed_at=when))
    document = first["CFDocument"]
    assert (document["caseVersion"], document["title"]) == ("1.1", "Orbit Instruments")
    assert document["lastChangeDateTime"] == "2025-01-02T03:04:05+00:00"
    types = {item["CFItemType"] for item in first["CFItems"]}
    assert {"Area", "Competency", "Proficiency Level", "Track", "Level", "Expectation"} <= types
    kinds = {a["associationType"] for a in first["CFAssociations"]}
    assert kinds == {"isChildOf", "hasSkillLevel", "isRelatedTo"}
    assert all(isinstance(a.get("sequenceNumber", 0), int) for a in first["CFAssociations"])


def test_a_shared_level_is_a_child_of_both_tracks(orbit):
    package = json.loads(case.write(orbit))
    level = next(
        i
        for i in package["CFItems"]
        if i.get("humanCodingScheme") == "ic1" and i["CFItemType"] == "Level"
    )
    parents = [
        a["destinationNodeURI"]["title"]
        for a in package["CFAssociations"]
        if a["originNodeURI"]["identifier"] == level["identifier"]
        and a["associationType"] == "isChildOf"
    ]
    assert parents == ["ic", "mgr"]


def test_detect_needs_a_top_level_document(text):
    assert case.detect(text)
    assert not case.detect('{"properties": {"CFDocument": {}}}')
