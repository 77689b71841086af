"""Draft editor operations on plain framework documents."""

from __future__ import annotations

import pytest

from upward.engine import edit
from upward.engine.framework.models import FrameworkDocument


def doc():
    return {
        "key": "mini",
        "name": "Mini",
        "areas": [{"key": "a", "name": "A"}],
        "competencies": [
            {"key": "x", "name": "X", "area": "a", "kind": "skill"},
            {"key": "y", "name": "Y", "area": "a", "kind": "impact"},
        ],
        "tracks": [
            {
                "key": "ic",
                "name": "IC",
                "levels": [{"key": "l1", "title": "One"}, {"key": "l2", "title": "Two"}],
            }
        ],
        "expectations": [
            {"competency": "x", "level": "l1", "summary": "old", "optional": True},
            {"competency": "y", "level": "l2", "summary": "why"},
        ],
    }


def test_setting_a_cell_replaces_it_and_keeps_its_optional_flag():
    out = edit.set_cell(
        doc(), competency="x", level="l1", summary=" new ", signals=["a", " "], examples=["e"]
    )
    cell = out["expectations"][0]
    assert cell == {
        "competency": "x",
        "level": "l1",
        "summary": "new",
        "signals": ["a"],
        "examples": ["e"],
        "optional": True,
    }
    FrameworkDocument.model_validate(out)


def test_setting_an_empty_cell_creates_it():
    out = edit.set_cell(doc(), competency="y", level="l1", summary="s", signals=[], examples=[])
    assert {"competency": "y", "level": "l1", "summary": "s", "signals": [], "examples": []} in out[
        "expectations"
    ]


@pytest.mark.parametrize(
    ("competency", "level", "message"),
    [("z", "l1", "unknown competency 'z'"), ("x", "l9", "unknown level 'l9'")],
)
def test_a_cell_edit_for_unknown_keys_is_refused(competency, level, message):
    with pytest.raises(edit.EditError, match=message):
        edit.set_cell(
            doc(), competency=competency, level=level, summary="", signals=[], examples=[]
        )


def test_removing_a_competency_removes_its_cells():
    out = edit.remove_competency(doc(), "x")
    assert [c["key"] for c in out["competencies"]] == ["y"]
    assert [e["competency"] for e in out["expectations"]] == ["y"]
    FrameworkDocument.model_validate(out)


def test_moving_a_competency_changes_the_order_and_stops_at_the_ends():
    assert [c["key"] for c in edit.move_competency(doc(), "y", -1)["competencies"]] == ["y", "x"]
    assert [c["key"] for c in edit.move_competency(doc(), "y", 5)["competencies"]] == ["x", "y"]


def test_levels_can_be_added_moved_and_removed():
    out = edit.add_level(doc(), "ic", {"key": "l3", "title": "Three"})
    out = edit.move_level(out, "ic", "l3", -2)
    assert [lv["key"] for lv in out["tracks"][0]["levels"]] == ["l3", "l1", "l2"]
    out = edit.remove_level(out, "ic", "l2")
    assert all(e["level"] != "l2" for e in out["expectations"])
    FrameworkDocument.model_validate(out)


def test_edits_never_change_the_document_they_were_given():
    original = doc()
    edit.remove_competency(original, "x")
    assert original == doc()


def scaled():
    """A points-style document: competency x has its own two steps, y has none."""
    out = doc()
    out["competencies"][0]["scale"] = [
        {"key": "s1", "name": "Starts", "description": "first", "signals": ["old"]},
        {"key": "s2", "name": "Leads", "examples": ["kept"]},
    ]
    out["expectations"] = [{"competency": "y", "level": "l2", "summary": "why"}]
    return out


def test_setting_a_step_rewrites_it_and_keeps_its_key_and_place():
    out = edit.set_step(
        scaled(),
        competency="x",
        step="s2",
        name=" Guides ",
        description="  helps others  ",
        signals=[" one ", "", "  "],
        examples=[],
    )
    scale = out["competencies"][0]["scale"]
    assert [s["key"] for s in scale] == ["s1", "s2"]
    assert scale[1] == {
        "key": "s2",
        "name": "Guides",
        "description": "helps others",
        "signals": ["one"],
        "examples": [],
    }
    assert scale[0] == scaled()["competencies"][0]["scale"][0]
    FrameworkDocument.model_validate(out)


@pytest.mark.parametrize(
    ("competency", "step", "message"),
    [
        ("z", "s1", "unknown competency 'z'"),
        ("y", "s1", "competency 'y' has no scale of its own"),
        ("x", "s9", "competency 'x' has no step 's9'"),
    ],
)
def test_a_step_edit_for_unknown_keys_is_refused(competency, step, message):
    with pytest.raises(edit.EditError, match=message):
        edit.set_step(
            scaled(),
            competency=competency,
            step=step,
            name="N",
            description="",
            signals=[],
            examples=[],
        )


def test_setting_a_step_never_changes_the_document_it_was_given():
    original = scaled()
    edit.set_step(
        original, competency="x", step="s1", name="New", description="", signals=[], examples=[]
    )
    assert original == scaled()
