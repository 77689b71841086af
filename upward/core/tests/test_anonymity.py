"""The anonymity rule on its own: plain data, no database."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from upward.core import anonymity

MONDAY = date(2026, 3, 2)


@pytest.mark.parametrize(("org_value", "expected"), [(0, 3), (2, 3), (3, 3), (5, 5), (12, 12)])
def test_the_threshold_never_goes_below_three(org_value, expected):
    assert anonymity.threshold(org_value) == expected


@pytest.mark.parametrize(
    ("count", "released"), [(0, 0), (1, 0), (4, 0), (5, 5), (6, 5), (9, 5), (10, 10), (14, 10)]
)
def test_only_whole_batches_are_released(count, released):
    assert anonymity.released_count(count, 5) == released


def test_voices_are_released_in_whole_batches_earliest_first_dated_by_the_day_each_filled():
    voices = [(f"v{i}", MONDAY + timedelta(days=i)) for i in range(8)]
    released = anonymity.release(voices, 3)
    assert released == {
        "v0": MONDAY + timedelta(days=2),
        "v1": MONDAY + timedelta(days=2),
        "v2": MONDAY + timedelta(days=2),
        "v3": MONDAY + timedelta(days=5),
        "v4": MONDAY + timedelta(days=5),
        "v5": MONDAY + timedelta(days=5),
    }


def test_a_voice_given_twice_counts_once_in_its_first_place():
    voices = [("a", MONDAY), ("b", MONDAY), ("a", MONDAY + timedelta(days=9)), ("c", MONDAY)]
    assert anonymity.release(voices, 3) == dict.fromkeys("abc", MONDAY)
    assert anonymity.release(voices[:3], 3) == {}


def test_a_new_voice_changes_nothing_until_its_batch_fills():
    voices = [(f"v{i}", MONDAY) for i in range(7)]
    assert anonymity.release(voices[:5], 5) == anonymity.release(voices, 5)
    assert len(anonymity.release([*voices, *[(f"w{i}", MONDAY) for i in range(3)]], 5)) == 10


def test_released_answers_are_whole_batches_sorted_by_their_content():
    given = ["zeta", "alpha", "mid", "beta"]
    assert anonymity.release_answers(given, 3, content=lambda a: a) == ["alpha", "mid", "zeta"]
    assert anonymity.release_answers(given[:2], 3, content=lambda a: a) == []


def test_the_aggregate_has_the_count_every_step_in_scale_order_and_the_lower_median():
    shown = anonymity.aggregate(["l3", "l1", "l3", "l2"], ["l1", "l2", "l3", "l4"])
    assert shown == anonymity.Aggregate(
        count=4, distribution=(("l1", 1), ("l2", 1), ("l3", 2), ("l4", 0)), median="l2"
    )


def test_the_aggregate_is_the_same_whatever_the_order_given():
    scale = ["a", "b", "c"]
    assert anonymity.aggregate(["c", "a", "b"], scale) == anonymity.aggregate(
        ["a", "b", "c"], scale
    )


def test_no_ratings_make_no_aggregate():
    assert anonymity.aggregate([], ["l1", "l2"]) is None


@pytest.mark.parametrize(
    ("count", "label"),
    [(0, "fewer than 5"), (4, "fewer than 5"), (5, "5+"), (9, "5+"), (10, "10+")],
)
def test_counts_are_shown_in_steps(count, label):
    stepped = anonymity.stepped(count, 5)
    assert stepped.label == label
    assert stepped.shown == (count >= 5)


def test_request_counts_give_asked_and_declined_and_answered_only_in_steps():
    counts = anonymity.request_counts(asked=9, declined=2, answered=6, threshold=5)
    assert counts == anonymity.RequestCounts(
        asked=9, declined=2, answered=anonymity.Stepped(released=5, threshold=5)
    )
    assert not hasattr(counts, "open")


def test_an_audit_time_keeps_only_the_day():
    moment = datetime(2026, 3, 2, 16, 42, 7, 123456, tzinfo=timezone(timedelta(hours=2)))
    assert anonymity.audit_time(moment) == datetime(2026, 3, 2, tzinfo=timezone(timedelta(hours=2)))
