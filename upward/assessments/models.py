from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from upward.core.visibility import Tier


class Placement(models.Model):
    """Where a member stands on a framework: version, track, current and target level.

    Rows are history: a new placement (another target, a newer version) replaces
    the active one, which stays for the record.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="placements"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="placements"
    )
    version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="placements"
    )
    track = models.CharField(max_length=100)
    current_level = models.CharField(max_length=100)
    target_track = models.CharField(max_length=100)
    target_level = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=models.Q(is_active=True),
                name="one_active_placement_per_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.current_level} -> {self.target_level}"


class Source(models.TextChoices):
    SELF = "self", "Self"
    MANAGER = "manager", "Manager"
    PEER = "peer", "Peer"
    MENTOR = "mentor", "Mentor"
    EVIDENCE = "evidence", "Evidence"


class Signal(models.Model):
    """One append-only piece of information about one competency of one member."""

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signals"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="signals"
    )
    version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="signals"
    )
    competency = models.CharField(max_length=100)
    step = models.CharField(max_length=100)
    sometimes_step = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals_given",
    )
    # Who counts as one independent source: a user id, a feedback request, an evidence entry.
    source_key = models.CharField(max_length=100)
    response = models.ForeignKey(
        "assessments.FeedbackResponse",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="signals",
    )
    comment = models.TextField(blank=True)
    observed_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["subject", "version", "competency"])]

    def __str__(self) -> str:
        return f"{self.competency}={self.step} ({self.source}) for {self.subject}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    ANSWERED = "answered", "Answered"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Whom a requester may share written answers with: nobody else, or their manager.
SHAREABLE_ANSWERS = (Tier.PRIVATE, Tier.MANAGER)


class FeedbackRequest(models.Model):
    """A member asks someone to rate them against their target level."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_requests"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="feedback_requests"
    )
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="requests")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_asked",
    )
    rater_email = models.EmailField(blank=True)
    relationship = models.CharField(max_length=16, choices=Source.choices)
    anonymous = models.BooleanField(default=False)
    # Who besides the requester reads the written answer (see upward.core.visibility).
    answer_visibility = models.CharField(max_length=16, choices=Tier.choices, default=Tier.PRIVATE)
    competencies = models.JSONField(default=list)
    message = models.TextField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    expires_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Why the rater declined, if they said; kept only for attributed requests.
    decline_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rater__isnull=False) | ~models.Q(rater_email=""),
                name="feedback_request_has_a_rater",
            ),
            models.CheckConstraint(
                condition=~models.Q(relationship="self") & ~models.Q(relationship="evidence"),
                name="feedback_request_relationship_is_a_person",
            ),
            models.CheckConstraint(
                condition=models.Q(answer_visibility__in=SHAREABLE_ANSWERS),
                name="feedback_answer_visibility_is_offered",
            ),
            models.CheckConstraint(
                condition=models.Q(anonymous=False) | models.Q(answer_visibility=Tier.PRIVATE),
                name="anonymous_answers_are_private",
            ),
            models.CheckConstraint(
                condition=models.Q(anonymous=False) | models.Q(decline_reason=""),
                name="anonymous_declines_keep_no_reason",
            ),
        ]

    def __str__(self) -> str:
        if self.anonymous:
            return f"Anonymous feedback for {self.requester}"
        return f"Feedback for {self.requester} from {self.rater or self.rater_email}"


class FeedbackResponse(models.Model):
    """A rater's answer to the open questions; their ratings are Signals pointing here.

    An anonymous answer keeps no link to its request (so none to its rater) and only
    the day it was given; it is shown only inside aggregates that reach the
    organization's anonymity threshold.
    """

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_received"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="feedback_responses"
    )
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="responses")
    request = models.OneToOneField(
        FeedbackRequest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="response",
    )
    anonymous = models.BooleanField(default=False)
    relationship = models.CharField(max_length=16, choices=Source.choices)
    consistent_at = models.TextField(blank=True)
    biggest_gap = models.TextField(blank=True)
    answered_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymous=False) | models.Q(request__isnull=True),
                name="anonymous_answers_keep_no_request",
            )
        ]

    def __str__(self) -> str:
        return f"Answer about {self.subject_id}"
