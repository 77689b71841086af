"""Writes for placements, ratings and feedback requests. Signals are append-only."""

from __future__ import annotations

from upward.assessments.services.feedback import (
    REASON_MAX,
    REMIND_AFTER,
    REQUEST_DAYS,
    DuplicateRequest,
    Rater,
    check_no_pending,
    decline,
    find_request_by_link,
    remind_pending,
    request_feedback,
    request_feedback_from_many,
    respond,
    withdraw,
    withdraw_anonymous,
)
from upward.assessments.services.placements import Rating, place, rate_as_manager, rate_self

__all__ = [
    "REASON_MAX",
    "REMIND_AFTER",
    "REQUEST_DAYS",
    "DuplicateRequest",
    "Rater",
    "Rating",
    "check_no_pending",
    "decline",
    "find_request_by_link",
    "place",
    "rate_as_manager",
    "rate_self",
    "remind_pending",
    "request_feedback",
    "request_feedback_from_many",
    "respond",
    "withdraw",
    "withdraw_anonymous",
]
