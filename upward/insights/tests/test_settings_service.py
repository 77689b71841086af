"""Changing an organization's insight settings: ranges, what is stored, the audit."""

from __future__ import annotations

import pytest

from upward.core.audit import AuditCode
from upward.core.errors import Invalid
from upward.core.models import AuditEvent
from upward.insights.models import InsightSettings
from upward.insights.services import change_settings


def events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(code=AuditCode.INSIGHTS_SETTINGS_CHANGED).order_by("id"))


def test_changing_the_settings_stores_and_audits_old_and_new(acme, ada) -> None:
    found = change_settings(ada, acme, ready_threshold=0.75, min_ratings=8)
    assert (found.ready_threshold, found.min_ratings) == (0.75, 8)
    stored = InsightSettings.objects.get(organization=acme)
    assert (stored.ready_threshold, stored.min_ratings) == (0.75, 8)
    [event] = events()
    assert (event.actor_id, event.organization_id) == (ada.pk, acme.pk)
    assert event.data == {
        "old": {"ready_threshold": 0.8, "min_ratings": 5},
        "new": {"ready_threshold": 0.75, "min_ratings": 8},
    }
    change_settings(ada, acme, ready_threshold=0.9, min_ratings=8)
    assert events()[-1].data["old"] == {"ready_threshold": 0.75, "min_ratings": 8}
    assert InsightSettings.objects.filter(organization=acme).count() == 1


def test_the_same_values_again_change_nothing(acme, ada) -> None:
    change_settings(ada, acme, ready_threshold=0.75, min_ratings=8)
    change_settings(ada, acme, ready_threshold=0.75, min_ratings=8)
    assert len(events()) == 1


@pytest.mark.parametrize("value", [0.5, 1, 1.0, 0.62])
def test_the_ends_of_the_ready_range_are_allowed(acme, ada, value) -> None:
    assert change_settings(ada, acme, ready_threshold=value, min_ratings=5).ready_threshold == value


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0.49, "0.49 is not between 0.5 and 1"),
        (1.01, "1.01 is not between 0.5 and 1"),
        (-1, "-1 is not between"),
        (float("nan"), "nan is not a number"),
        (float("inf"), "inf is not a number"),
        (True, "True is not a number"),
        ("0.8", "'0.8' is not a number"),
    ],
)
def test_a_ready_threshold_out_of_range_is_refused(acme, ada, value, words) -> None:
    with pytest.raises(Invalid) as raised:
        change_settings(ada, acme, ready_threshold=value, min_ratings=5)
    assert raised.value.field == "ready_threshold"
    assert raised.value.message.startswith("ready_threshold: ")
    assert words in raised.value.message
    assert not InsightSettings.objects.exists()
    assert events() == []


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (2, "2 is not between 3 and 100"),
        (101, "101 is not between 3 and 100"),
        (5.5, "5.5 is not a whole number"),
        (False, "False is not a whole number"),
        ("7", "'7' is not a whole number"),
    ],
)
def test_a_minimum_of_ratings_out_of_range_is_refused(acme, ada, value, words) -> None:
    with pytest.raises(Invalid) as raised:
        change_settings(ada, acme, ready_threshold=0.8, min_ratings=value)
    assert raised.value.field == "min_ratings"
    assert raised.value.message == f"min_ratings: {words}"
    assert not InsightSettings.objects.exists()
    assert events() == []


@pytest.mark.parametrize("value", [3, 100])
def test_the_ends_of_the_ratings_range_are_allowed(acme, ada, value) -> None:
    assert change_settings(ada, acme, ready_threshold=0.8, min_ratings=value).min_ratings == value


def test_a_bad_value_keeps_the_stored_settings(acme, ada) -> None:
    change_settings(ada, acme, ready_threshold=0.7, min_ratings=6)
    with pytest.raises(Invalid):
        change_settings(ada, acme, ready_threshold=0.9, min_ratings=1)
    stored = InsightSettings.objects.get(organization=acme)
    assert (stored.ready_threshold, stored.min_ratings) == (0.7, 6)
    assert len(events()) == 1
