from __future__ import annotations

from upward.engine.diff import Change, ExpectationChange, Rename, diff
from upward.engine.framework import FrameworkDocument


def edited(fw: FrameworkDocument, change) -> FrameworkDocument:
    data = fw.to_dict()
    change(data)
    return FrameworkDocument.model_validate(data)


def test_identical_documents_have_no_changes(orbit):
    result = diff(orbit, orbit)
    assert result.empty
    assert result.summary() == "No changes."


def test_added_removed_and_renamed_competencies(orbit):
    def change(data):
        data["competencies"][0]["name"] = "Delivery"
        data["competencies"][3]["weight"] = 3.0
        data["competencies"].append(
            {"key": "safety", "name": "Safety", "area": "craft", "kind": "skill"}
        )
        data["competencies"] = [c for c in data["competencies"] if c["key"] != "firmware"]
        data["expectations"] = [e for e in data["expectations"] if e["competency"] != "firmware"]
        data["expectations"].append({"competency": "safety", "level": "ic1"})

    result = diff(orbit, edited(orbit, change))
    assert result.competencies.added == ["safety"]
    assert result.competencies.removed == ["firmware"]
    assert result.competencies.renamed == [Rename("shipping", "Shipping", "Delivery")]
    assert result.competencies.changed == [Change("mentoring", ("weight",))]
    assert result.expectations.added == [("safety", "ic1")]
    assert result.expectations.removed == [("firmware", "ic1"), ("firmware", "ic2")]


def test_changed_expectations_name_the_fields(orbit):
    def change(data):
        data["expectations"][1]["summary"] = "Ships a whole instrument."
        data["expectations"][1]["signals"] = ["Writes the release note"]
        data["expectations"][8]["step"] = "practising"

    result = diff(orbit, edited(orbit, change))
    assert result.expectations.changed == [
        ExpectationChange("shipping", "ic2", ("summary", "signals")),
        ExpectationChange("calibration", "ic3", ("step",)),
    ]


def test_levels_and_tracks_report_titles_and_membership(orbit):
    def change(data):
        data["tracks"][0]["levels"][2]["title"] = "Principal Instrument Engineer"
        data["tracks"][0]["levels"][2]["rank"] = 4
        data["tracks"][1]["levels"] = data["tracks"][1]["levels"][1:]
        data["expectations"] = [e for e in data["expectations"] if e["level"] != "ic1"] + [
            e for e in data["expectations"] if e["level"] == "ic1"
        ]

    result = diff(orbit, edited(orbit, change))
    assert result.levels.renamed == [
        Rename("ic3", "Staff Instrument Engineer", "Principal Instrument Engineer")
    ]
    assert result.levels.changed == [Change("ic3", ("rank",))]
    assert result.tracks.changed == [Change("mgr", ("levels",))]
    assert result.expectations.empty  # order alone is no change


def test_the_summary_reads_as_sentences(orbit):
    def change(data):
        data["name"] = "Orbit"
        data["areas"].append({"key": "safety", "name": "Safety"})
        data["competencies"][0]["name"] = "Delivery"
        data["expectations"][0]["summary"] = "Ships with care."

    summary = diff(orbit, edited(orbit, change)).summary()
    assert summary.splitlines() == [
        "Framework name changed.",
        "Areas added: safety.",
        "Competency 'shipping' renamed: 'Shipping' -> 'Delivery'.",
        "Expectation 'shipping' at 'ic1' changed: summary.",
    ]


def test_the_diff_is_plain_data(orbit):
    data = diff(orbit, orbit).to_dict()
    assert data["competencies"] == {"added": [], "removed": [], "renamed": [], "changed": []}
    assert data["level_rule"] is False
