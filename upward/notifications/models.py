from __future__ import annotations

from django.conf import settings
from django.db import models

from upward.notifications.kinds import Choice


class DeliveryStatus(models.TextChoices):
    CLAIMED = "claimed", "Claimed, not yet known sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "The mail server refused it"


class Delivery(models.Model):
    """One email that is being or was sent, claimed by a unique key before sending.

    A task that finds its key already claimed sends nothing, so a retry never sends
    twice (see docs/notifications.md: delivery is at most once)."""

    key = models.CharField(max_length=120, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.CLAIMED
    )
    claimed_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"


class Notification(models.Model):
    """One thing a person is told about: an inbox entry, and maybe an email."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    # The email's text as the app wrote it; never a secret (secrets go out directly).
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    # The person's email choice for the kind when it was made: what delivers it.
    email = models.CharField(max_length=16, choices=Choice.choices, default=Choice.OFF)
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["email", "recipient"],
                condition=models.Q(delivery__isnull=True),
                name="notification_undelivered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """A person's email choice for one kind; without a row, the kind's default holds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=60)
    choice = models.CharField(max_length=16, choices=Choice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.choice}"
