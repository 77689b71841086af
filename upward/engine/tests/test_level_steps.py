"""A level key given as the step of a competency with its own scale."""

from __future__ import annotations

from datetime import date

from upward.engine.delta import Signal, Source
from upward.engine.framework import FrameworkDocument
from upward.engine.level_steps import signals_by_step, step_for


def test_a_level_key_reads_as_the_step_that_level_expects(orbit):
    assert step_for(orbit, "calibration", "ic1") == "aware"
    assert step_for(orbit, "calibration", "ic3") == "leading"
    assert step_for(orbit, "calibration", "m1") == "practising"


def test_a_step_of_the_scale_keeps_its_meaning(orbit):
    assert step_for(orbit, "calibration", "practising") == "practising"


def test_a_competency_on_the_track_levels_keeps_the_level_key(orbit):
    assert step_for(orbit, "shipping", "ic2") == "ic2"


def test_unknown_keys_are_returned_as_given_for_the_delta_to_refuse(orbit):
    assert step_for(orbit, "calibration", "ic9") == "ic9"
    assert step_for(orbit, "nope", "ic1") == "ic1"


def test_a_level_that_expects_nothing_of_the_competency_stays_a_level_key(orbit):
    data = orbit.to_dict()
    data["expectations"] = [
        e for e in data["expectations"] if (e["competency"], e["level"]) != ("calibration", "ic3")
    ]
    orbit_without = FrameworkDocument.model_validate(data)
    assert step_for(orbit_without, "calibration", "ic3") == "ic3"


def test_signals_get_both_steps_read_and_keep_everything_else(orbit):
    signal = Signal("calibration", "ic1", Source.MANAGER, "bob", date(2026, 1, 2), "ic3")
    [read] = signals_by_step(orbit, [signal])
    assert (read.step, read.sometimes) == ("aware", "leading")
    assert (read.rater, read.on, read.source) == ("bob", date(2026, 1, 2), Source.MANAGER)
