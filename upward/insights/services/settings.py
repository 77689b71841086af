"""Writes for an organization's insight settings."""

from __future__ import annotations

import math

from django.db import transaction

from upward.accounts.models import Organization, User
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Invalid
from upward.insights.models import InsightSettings

__all__ = ["MIN_RATINGS_RANGE", "READY_RANGE", "change_settings"]

READY_RANGE = (0.5, 1.0)
MIN_RATINGS_RANGE = (3, 100)


@transaction.atomic
def change_settings(
    actor: User, organization: Organization, *, ready_threshold: float, min_ratings: int
) -> InsightSettings:
    """Set the readiness threshold and the ratings leniency must rest on; audited with the
    old and new values. The caller checks that `actor` is an admin (`access_insights`)."""
    _check_ready(ready_threshold)
    _check_min_ratings(min_ratings)
    found, _ = InsightSettings.objects.select_for_update().get_or_create(organization=organization)
    old = {"ready_threshold": found.ready_threshold, "min_ratings": found.min_ratings}
    new = {"ready_threshold": float(ready_threshold), "min_ratings": int(min_ratings)}
    if new == old:
        return found
    found.ready_threshold = new["ready_threshold"]
    found.min_ratings = new["min_ratings"]
    found.save(update_fields=["ready_threshold", "min_ratings", "updated_at"])
    audit.record(
        found,
        AuditCode.INSIGHTS_SETTINGS_CHANGED,
        actor=actor,
        organization=organization,
        data={"old": old, "new": new},
    )
    return found


def _check_ready(value: object) -> None:
    low, high = READY_RANGE
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Invalid(f"ready_threshold: {value!r} is not a number", field="ready_threshold")
    if not low <= value <= high:
        raise Invalid(
            f"ready_threshold: {value} is not between {low} and {high:g}", field="ready_threshold"
        )


def _check_min_ratings(value: object) -> None:
    low, high = MIN_RATINGS_RANGE
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"min_ratings: {value!r} is not a whole number", field="min_ratings")
    if not low <= value <= high:
        raise Invalid(f"min_ratings: {value} is not between {low} and {high}", field="min_ratings")
