from __future__ import annotations

from django.conf import settings
from django.db import models

from upward.core.visibility import Tier


class Kind(models.TextChoices):
    """What sort of work an objective is."""

    INITIATIVE = "initiative", "Initiative or project"
    STRETCH = "stretch", "Stretch assignment"
    VISIBILITY = "visibility", "Visibility (a talk, a written proposal)"
    MENTORING = "mentoring", "Mentoring or teaching others"
    LEARNING = "learning", "Learning tied to a deliverable"


class Status(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


# Objectives that still need work: they move with the member to a new placement.
OPEN_STATUSES = (Status.PLANNED, Status.ACTIVE)


class Objective(models.Model):
    """One thing a member will do to close a gap: owned, timeboxed work towards a step.

    An objective belongs to the placement it serves; when the member is placed anew,
    open objectives move to the new placement (see services.carry_over).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="objectives"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="objectives"
    )
    placement = models.ForeignKey(
        "assessments.Placement", on_delete=models.CASCADE, related_name="objectives"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.INITIATIVE)
    # Competency keys of the placement's framework version that this work should show.
    competencies = models.JSONField(default=list)
    # The step it aims at (a level key, or a step of the competency's own scale).
    target_step = models.CharField(max_length=100, blank=True)
    success_criteria = models.JSONField(default=list, blank=True)
    # A timebox: a day, or a quarter ("2027-Q3") whose last day is kept in `due_on`.
    due_on = models.DateField(null=True, blank=True)
    quarter = models.CharField(max_length=7, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    dropped_reason = models.TextField(blank=True)
    # What shows it was done: a link and a note, until the evidence log takes over.
    completion_link = models.URLField(max_length=500, blank=True)
    completion_note = models.TextField(blank=True)
    visibility = models.CharField(max_length=16, choices=Tier.choices, default=Tier.MANAGER)
    template = models.ForeignKey(
        "roadmaps.RoadmapTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # When the owner was last told it is overdue, so the reminder goes once.
    overdue_notified_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "created_at", "id"]
        indexes = [models.Index(fields=["owner", "placement", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter="") | models.Q(due_on__isnull=False),
                name="objective_quarter_has_its_last_day",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="dropped") | ~models.Q(dropped_reason=""),
                name="objective_dropped_has_a_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(title=""),
                name="objective_has_a_title",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Stakeholder(models.Model):
    """Someone the objective is for or with: a person in Upward, a person by email, or a team."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="stakeholders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(blank=True)
    # What to call them: a name, a role ("Product manager") or the team's name.
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A checkpoint on the way to an objective, with an optional date."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    overdue_notified_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="milestone_has_a_title"),
        ]

    def __str__(self) -> str:
        return self.title


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class RoadmapTemplate(models.Model):
    """An expert-written plan for moving one competency from one step to the next.

    Library templates (no organization) are curated by site staff; an organization
    curates its own. A template names competencies and steps by key, so it applies to
    any framework version that has them (an organization's copy of a library framework
    included). Its objectives are plain data (see upward.roadmaps.library.TemplateObjective).
    """

    key = models.SlugField(max_length=120)
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roadmap_templates",
    )
    # The framework it was written for, by key (a library framework's copy keeps its key).
    framework_key = models.SlugField(max_length=80)
    competency = models.CharField(max_length=100)
    track = models.CharField(max_length=100, blank=True)
    from_step = models.CharField(max_length=100)
    to_step = models.CharField(max_length=100)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    duration_weeks = models.PositiveSmallIntegerField(default=12)
    evidence = models.JSONField(default=list, blank=True)
    objectives = models.JSONField(default=list)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=200)
    author_credentials = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=16, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["framework_key", "competency", "from_step", "title"]
        indexes = [models.Index(fields=["competency", "to_step", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key"], name="roadmap_template_key_unique_per_org"
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(organization__isnull=True),
                name="library_roadmap_template_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TemplateRating(models.Model):
    """How useful a member found a template they applied (1 to 5), one per person."""

    template = models.ForeignKey(RoadmapTemplate, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["template", "user"], name="one_rating_per_template"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="template_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}/5 for {self.template}"


class CalendarFeed(models.Model):
    """A person's secret calendar address; only its hash is kept. Revoking ends it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_calendar_feed_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"Calendar of {self.user}"
