from __future__ import annotations

from django.conf import settings
from django.db import models


class Owner(models.TextChoices):
    LIBRARY = "library", "Upward library"
    ORGANIZATION = "organization", "Organization"
    PERSON = "person", "Personal"


class Framework(models.Model):
    """A career growth model; its content lives in immutable published versions."""

    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=16, choices=Owner.choices)
    # Library frameworks have no organization; a person's own live in their personal space.
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="frameworks",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key"], name="framework_key_unique_per_org"
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(organization__isnull=True),
                name="library_framework_key_unique",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(owner="library", organization__isnull=True)
                    | (~models.Q(owner="library") & models.Q(organization__isnull=False))
                ),
                name="framework_owner_matches_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class FrameworkVersion(models.Model):
    """One version of a framework: its validated document and that document's hash.

    A published version never changes; editing starts a new draft.
    """

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    document = models.JSONField()
    content_hash = models.CharField(max_length=64)
    source_format = models.CharField(max_length=40, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["framework"],
                condition=models.Q(status="draft"),
                name="one_draft_per_framework",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework} v{self.number} ({self.status})"
