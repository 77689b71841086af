from __future__ import annotations

import pytest

from upward.engine.formats import upward as fmt
from upward.engine.framework import FrameworkDocument
from upward.engine.issues import FrameworkError
from upward.engine.tests.conftest import minimal


def test_the_fixture_reads_without_warnings(orbit_text):
    result = fmt.read(orbit_text, "orbit.yaml")
    assert result.warnings == []
    assert result.format == "yaml"
    assert len(result.framework.expectations) == 12


def test_yaml_round_trip_is_exact(orbit):
    assert fmt.read(fmt.write_yaml(orbit), "again.yaml").framework == orbit


def test_json_round_trip_is_exact(orbit):
    assert fmt.read(fmt.write_json(orbit), "again.json").framework == orbit


TRICKY = [
    "yes",
    "1.0",
    "~",
    "null",
    "- not a list",
    "key: value",
    "# not a comment",
    "line one\nline two\n",
    "  leading spaces\nand more",
    "trailing spaces   \nsecond",
    "ends without newline\nx",
    "quotes \" and ' mixed",
    "tab\tinside",
    "unicode: naïve café 🚀",
    "\nstarts with a newline",
    "ends with two newlines\n\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_texts_survive_the_yaml_round_trip(text):
    doc = minimal(description=text)
    doc["expectations"][0]["signals"] = [text]
    fw = FrameworkDocument.model_validate(doc)
    again = fmt.read(fmt.write_yaml(fw), "x.yaml").framework
    assert again.description == text
    assert again.expectations[0].signals == [text]


def test_detect_recognises_yaml_and_json_documents(orbit, orbit_text):
    assert fmt.detect(orbit_text)
    assert fmt.detect(fmt.write_json(orbit))
    assert not fmt.detect("levels:\n  - id: a\nthemes: []\ncompetencies: []\n")
    assert not fmt.detect("just: text\n")


def test_yaml_errors_carry_file_and_line(orbit_text):
    broken = orbit_text.replace(
        "    area: craft\n    kind: skill\n    weight: 1.5",
        "    area: craf\n    kind: skill\n    weight: 1.5",
    )
    with pytest.raises(FrameworkError) as caught:
        fmt.read(broken, "orbit.yaml")
    assert str(caught.value) == (
        "orbit.yaml:33: competencies[2].area: unknown area 'craf' (known: delivery, craft, people)"
    )


def test_a_string_for_a_number_is_recovered_with_its_line(orbit_text):
    text = orbit_text.replace("weight: 1.5", 'weight: "1.5"')
    result = fmt.read(text, "orbit.yaml")
    assert [str(w) for w in result.warnings] == [
        "orbit.yaml:35: warning: competencies[2].weight: expected a number, found the text '1.5';"
        " read as 1.5"
    ]


def test_a_tab_in_the_document_is_recovered_with_its_line(orbit_text):
    text = orbit_text.replace("\n      - key: ic2\n", "\n\t\t\t- key: ic2\n")
    result = fmt.read(text, "orbit.yaml")
    assert result.framework.levels_of("ic")[1].key == "ic2"
    [warn] = result.warnings
    assert (warn.line, warn.message) == (61, "TAB in indentation, read as 6 spaces")


def test_json_errors_carry_the_line(orbit):
    text = fmt.write_json(orbit).replace('"level": "ic3"', '"level": "ic9"', 1)
    with pytest.raises(FrameworkError) as caught:
        fmt.read(text, "orbit.json")
    [issue] = caught.value.issues
    assert issue.file == "orbit.json"
    assert issue.line is not None
    assert text.splitlines()[issue.line - 1].strip() == '"level": "ic9",'
