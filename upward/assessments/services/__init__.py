"""Writes for placements, ratings and feedback requests. Signals are append-only."""

from __future__ import annotations

from upward.assessments.services.feedback import (
    REMIND_AFTER,
    REQUEST_DAYS,
    decline,
    find_request_by_link,
    remind_pending,
    request_feedback,
    respond,
    withdraw,
    withdraw_anonymous,
)
from upward.assessments.services.placements import Rating, place, rate_as_manager, rate_self

__all__ = [
    "REMIND_AFTER",
    "REQUEST_DAYS",
    "Rating",
    "decline",
    "find_request_by_link",
    "place",
    "rate_as_manager",
    "rate_self",
    "remind_pending",
    "request_feedback",
    "respond",
    "withdraw",
    "withdraw_anonymous",
]
