"""Mentorship: mentor profiles with the competencies they offer, requests, cohort
programmes, and long-term rooms (goals, sessions, action items, messages, ratings).

A mentor is verified for an offered competency when their own delta demonstrates
the offered step (computed when read, so it lapses with its signals), or when an
admin or site staff recorded a verification with its basis (`Offer.verified_*`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from upward.core.visibility import Tier


class Cadence(models.TextChoices):
    """How often a room checks in."""

    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"


class Reach(models.TextChoices):
    """Whom a mentor takes on: their organization's members, or people outside it too."""

    ORGANIZATION = "organization", "People in my organization"
    ANYONE = "anyone", "Also people outside my organization"


# What a mentor's profile may be shown to (see upward.core.visibility).
PROFILE_TIERS = (Tier.ORGANIZATION, Tier.PUBLIC)


class MentorProfile(models.Model):
    """Someone offering to mentor, from one organization (whose delta verifies them)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profiles"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="mentor_profiles"
    )
    bio = models.TextField(blank=True)
    capacity = models.PositiveSmallIntegerField(default=2)  # mentees at once
    cadence = models.CharField(max_length=16, choices=Cadence.choices, default=Cadence.FORTNIGHTLY)
    time_zone = models.CharField(max_length=64, blank=True)  # IANA name
    languages = models.JSONField(default=list, blank=True)  # ["en", "fr"]
    reach = models.CharField(max_length=16, choices=Reach.choices, default=Reach.ORGANIZATION)
    # Who finds the profile in the directory: the organization, or anyone signed in.
    visibility = models.CharField(max_length=16, choices=Tier.choices, default=Tier.ORGANIZATION)
    # A mentor pauses to take no new mentees without losing the profile.
    accepting = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_mentor_profile"),
            models.CheckConstraint(
                condition=models.Q(visibility__in=PROFILE_TIERS),
                name="mentor_profile_visibility_is_offered",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__lte=50), name="mentor_capacity_is_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"Mentor profile of {self.user}"


class Offer(models.Model):
    """One competency a mentor offers, up to the step they can mentor towards."""

    profile = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="offers")
    competency = models.CharField(max_length=100)  # key in the profile's framework
    step = models.CharField(max_length=100)  # the step they mentor towards
    # A verification recorded by an admin or site staff, with its basis; the
    # demonstrated basis is computed from the delta and never stored.
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentor_verifications",
    )
    verified_basis = models.TextField(blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "competency"], name="one_offer_per_competency"
            ),
            models.CheckConstraint(
                condition=models.Q(verified_at__isnull=True) | ~models.Q(verified_basis=""),
                name="offer_verification_has_a_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency} to {self.step}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class MentorshipRequest(models.Model):
    """A mentee asks a mentor; accepting opens a room."""

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorship_requests"
    )
    # The mentee's organization: their placement there gives the gaps and goals.
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="mentorship_requests"
    )
    profile = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="requests")
    competencies = models.JSONField(default=list, blank=True)  # the gaps it is about
    message = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decline_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "profile"],
                condition=models.Q(status="pending"),
                name="one_pending_mentorship_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentee} asks {self.profile.user}"


class ProgrammeStatus(models.TextChoices):
    OPEN = "open", "Open for joining"
    PROPOSED = "proposed", "Matching proposed"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed"


class Programme(models.Model):
    """A cohort mentoring programme an admin opens; mentees and mentors join, then one
    optimal assignment is proposed, adjusted and published (which opens the rooms)."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="mentoring_programmes"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    cadence = models.CharField(max_length=16, choices=Cadence.choices, default=Cadence.FORTNIGHTLY)
    status = models.CharField(
        max_length=16, choices=ProgrammeStatus.choices, default=ProgrammeStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="programme_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ParticipantRole(models.TextChoices):
    MENTEE = "mentee", "Mentee"
    MENTOR = "mentor", "Mentor"


class Participant(models.Model):
    """Someone who joined a programme, as mentee or as mentor."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_places"
    )
    role = models.CharField(max_length=8, choices=ParticipantRole.choices)
    # Mentors: how many mentees in this programme (at most their open capacity).
    capacity = models.PositiveSmallIntegerField(default=0)
    # Mentees: mentors (user ids) they must not be matched with.
    avoid = models.JSONField(default=list, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="one_place_per_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.programme}"


class PairOrigin(models.TextChoices):
    SOLVER = "solver", "Proposed by matching"
    ADMIN = "admin", "Added by an admin"


class Pair(models.Model):
    """One mentee-mentor pair of a programme's proposal (kept when published)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="pairs")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(default=0)
    covers = models.JSONField(default=list, blank=True)  # competency keys
    origin = models.CharField(max_length=8, choices=PairOrigin.choices, default=PairOrigin.SOLVER)
    room = models.OneToOneField(
        "mentorship.Room", null=True, blank=True, on_delete=models.SET_NULL, related_name="pair"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "mentee"], name="one_pair_per_mentee"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} with {self.mentor}"


class RoomStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class Room(models.Model):
    """One mentor and one mentee, long-term. Only the two of them read or write it."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rooms_as_mentor"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rooms_as_mentee"
    )
    # The mentee's organization: their placement, objectives and evidence there.
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="mentorship_rooms"
    )
    profile = models.ForeignKey(
        MentorProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="rooms"
    )
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="rooms"
    )
    cadence = models.CharField(max_length=16, choices=Cadence.choices, default=Cadence.FORTNIGHTLY)
    status = models.CharField(max_length=8, choices=RoomStatus.choices, default=RoomStatus.ACTIVE)
    opened_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The last day an accountability reminder went out (at most one a day).
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("mentee")), name="room_has_two_people"
            ),
            models.UniqueConstraint(
                fields=["mentor", "mentee", "organization"],
                condition=models.Q(status="active"),
                name="one_active_room_per_pair",
            ),
        ]

    def __str__(self) -> str:
        # Neutral: the audit log an organization's admins read names rooms by this.
        return f"Mentorship room {self.pk}"


class Goal(models.Model):
    """A goal the two share, linked to one of the mentee's roadmap objectives or not."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=300)
    objective = models.ForeignKey(
        "roadmaps.Objective", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class MentoringSession(models.Model):
    """A check-in: when, an agenda (generated, then edited by either side) and notes."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=45)
    agenda = models.TextField(blank=True)  # Markdown
    notes = models.TextField(blank=True)  # Markdown
    held_at = models.DateTimeField(null=True, blank=True)  # marked as held
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["room", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=5) & models.Q(minutes__lte=480),
                name="session_length_is_sane",
            )
        ]

    def __str__(self) -> str:
        return f"Session on {self.starts_at:%Y-%m-%d}"


class ActionItem(models.Model):
    """Something one of the two will do by a date."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="action_items")
    session = models.ForeignKey(
        MentoringSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_actions"
    )
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """A message in the room, from one of the two."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_messages"
    )
    body = models.TextField()  # Markdown
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="room_message_has_a_body")
        ]

    def __str__(self) -> str:
        return f"Message by {self.author}"


class RoomRating(models.Model):
    """How one side rates the mentorship when it ends; blind until both have rated or
    14 days have passed since the room ended."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_ratings"
    )
    stars = models.PositiveSmallIntegerField()  # 1-5
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["room", "rater"], name="one_rating_per_side"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1) & models.Q(stars__lte=5),
                name="room_rating_stars_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars} stars from {self.rater}"


class MentorshipSettings(models.Model):
    """An organization's mentorship settings: whether outside mentors may take its members."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="mentorship_settings"
    )
    allow_outside_mentors = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Mentorship settings of {self.organization}"
