"""What org insights read: one standing per active placement, kept current as signals
arrive, and each organization's insight settings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

READY_DEFAULT = 0.8
MIN_RATINGS_DEFAULT = 5


class Standing(models.Model):
    """One member's delta as numbers, for aggregates over thousands of people.

    The step fields hold one signed byte per competency of the version, in the
    document's order: the step's index on the target track's scale, or -1 for none.
    `history` maps a quarter ("2026-Q4") to the readiness last recorded in it.
    """

    placement = models.OneToOneField(
        "assessments.Placement", on_delete=models.CASCADE, related_name="standing"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="standings"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="standings"
    )
    version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.CASCADE, related_name="standings"
    )
    track = models.CharField(max_length=100)
    current_level = models.CharField(max_length=100)
    target_track = models.CharField(max_length=100)
    target_level = models.CharField(max_length=100)
    operating = models.BinaryField()
    demonstrated = models.BinaryField()
    readiness = models.FloatField(default=0.0)
    history = models.JSONField(default=dict, blank=True)
    has_roadmap = models.BooleanField(default=False)
    has_mentor = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "version"]),
            # The cube's stamp: how many and the newest, from the index alone.
            models.Index(fields=["organization", "updated_at"], name="standing_org_updated"),
        ]

    def __str__(self) -> str:
        return f"Standing of {self.user_id} at {self.current_level}"


class InsightSettings(models.Model):
    """What an organization's admins set for its insights."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="insight_settings"
    )
    ready_threshold = models.FloatField(
        default=READY_DEFAULT,
        validators=[MinValueValidator(0.5), MaxValueValidator(1.0)],
        help_text="Readiness at or above which someone counts as ready (0.5 to 1).",
    )
    min_ratings = models.PositiveSmallIntegerField(
        default=MIN_RATINGS_DEFAULT,
        validators=[MinValueValidator(3), MaxValueValidator(100)],
        help_text="Ratings a rater's leniency must rest on before it is shown (3 to 100).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Insight settings of {self.organization_id}"
