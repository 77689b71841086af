"""Who may see placements, deltas and feedback requests.

A member sees their own; a manager sees the people on the teams they lead, in
that organization; a rater sees the requests addressed to them. All of it only
while the user is a member of the organization it belongs to: leaving or being
removed ends access at once. Everything else, and everything missing, is Http404.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from upward.accounts.models import User
from upward.accounts.relationships import relationships
from upward.assessments.models import FeedbackRequest, Placement
from upward.core.visibility import Relationship


def access_placement(user: User, placement_id: int, *, write: bool = False) -> Placement:
    """A placement the user may read (their own, or a report's) or change (their own)."""
    if not user.is_authenticated:
        raise Http404
    placement = get_object_or_404(
        Placement.objects.select_related("user", "organization", "version__framework"),
        pk=placement_id,
        organization__memberships__user=user,  # the reader is still a member there
    )
    if placement.user_id == user.pk:
        return placement
    if write:
        raise Http404
    if Relationship.MANAGER in relationships(user, placement.user, placement.organization):
        return placement
    raise Http404


def access_report_placement(user: User, placement_id: int) -> Placement:
    """A report's placement that their manager may rate."""
    placement = access_placement(user, placement_id)
    if placement.user_id == user.pk:
        raise Http404
    return placement


def access_feedback_request(
    user: User, request_id: int, *, as_rater: bool = False
) -> FeedbackRequest:
    """A request the user made (or, with `as_rater`, one addressed to them)."""
    if not user.is_authenticated:
        raise Http404
    request = get_object_or_404(
        FeedbackRequest.objects.select_related(
            "requester", "rater", "organization", "placement__version__framework"
        ),
        pk=request_id,
        organization__memberships__user=user,  # the reader is still a member there
    )
    if as_rater and request.rater_id == user.pk:
        return request
    if not as_rater and request.requester_id == user.pk:
        return request
    raise Http404
