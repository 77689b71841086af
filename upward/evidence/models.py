"""Proof of growth: evidence entries and their confirmations, growth threads, and
promotion packets with their share links.

Evidence is a signal (docs/delta-policy.md): an entry records one `evidence` signal
per competency it names, the member's claim, keyed `evidence:<entry id>`; each
confirmation records one signal per competency it states, keyed `user:<confirmer id>`.
`EntrySignal` remembers which signals an entry or a confirmation wrote, so they
go when it goes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from upward.core.visibility import Tier


class Entry(models.Model):
    """A dated record of work done: what happened, what it changed, what it shows."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="evidence"
    )
    # The placement whose framework version gives the competency and step keys.
    placement = models.ForeignKey(
        "assessments.Placement", on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(max_length=300)
    # What happened, in Markdown (rendered through upward.core.markdown).
    body = models.TextField(blank=True)
    # What it changed, in Markdown: the impact comes first in a packet.
    impact = models.TextField(blank=True)
    # How far it reached: "team", "organization", "company", "industry" (free text).
    scope = models.CharField(max_length=100, blank=True)
    metric = models.CharField(max_length=200, blank=True)
    metric_before = models.CharField(max_length=100, blank=True)
    metric_after = models.CharField(max_length=100, blank=True)
    # Artefacts as links: [{"url": ..., "label": ...}]; no files are stored.
    links = models.JSONField(default=list, blank=True)
    # Who can vouch for it, by name or address, beyond named collaborators.
    vouchers = models.JSONField(default=list, blank=True)
    happened_on = models.DateField()
    # What it demonstrates: [{"competency": key, "step": step key}], keys of the
    # placement's version.
    competencies = models.JSONField(default=list)
    objective = models.ForeignKey(
        "roadmaps.Objective",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    # The growth-thread post it was promoted from; a post is promoted at most once.
    post = models.OneToOneField(
        "evidence.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="promoted_to",
    )
    visibility = models.CharField(max_length=16, choices=Tier.choices, default=Tier.MANAGER)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name_plural = "entries"
        indexes = [models.Index(fields=["owner", "organization", "happened_on"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="evidence_has_a_title"),
        ]

    def __str__(self) -> str:
        return self.title


class Relation(models.TextChoices):
    """How a confirmer stands to the member, as they say when confirming."""

    MANAGER = "manager", "Manager"
    PEER = "peer", "Peer"
    MENTOR = "mentor", "Mentor"
    COLLABORATOR = "collaborator", "Collaborator"


class Confirmation(models.Model):
    """Another person vouches for an entry and states the step it shows per competency."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="confirmations")
    # Kept when the confirmer's account is deleted: the member still relies on it.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="confirmations_given",
    )
    relation = models.CharField(max_length=16, choices=Relation.choices)
    # {competency key: step key}, a subset of the entry's competencies.
    steps = models.JSONField(default=dict)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "by"], name="one_confirmation_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.by} confirms {self.entry}"


class CollaboratorStatus(models.TextChoices):
    PENDING = "pending", "Asked"
    ACCEPTED = "accepted", "Named"
    DECLINED = "declined", "Declined"


class Collaborator(models.Model):
    """Someone who shares the credit for an entry; they accept or decline being named."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="collaborators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collaborations"
    )
    status = models.CharField(
        max_length=16, choices=CollaboratorStatus.choices, default=CollaboratorStatus.PENDING
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "user"], name="one_collaborator_row"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.entry}"


class EntrySignal(models.Model):
    """A signal an entry (its claim) or one of its confirmations wrote."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="signal_links")
    confirmation = models.ForeignKey(
        Confirmation, null=True, blank=True, on_delete=models.CASCADE, related_name="signal_links"
    )
    signal = models.OneToOneField(
        "assessments.Signal", on_delete=models.CASCADE, related_name="evidence_link"
    )

    def __str__(self) -> str:
        return f"signal {self.signal_id} of {self.entry_id}"


class Thread(models.Model):
    """Learning in public: a member's series of updates on something they work on."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="threads"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="threads"
    )
    title = models.CharField(max_length=200)
    # Competency keys of the owner's placement version at the time.
    competencies = models.JSONField(default=list, blank=True)
    objective = models.ForeignKey(
        "roadmaps.Objective",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
    )
    visibility = models.CharField(max_length=16, choices=Tier.choices, default=Tier.ORGANIZATION)
    created_at = models.DateTimeField(auto_now_add=True)
    # The newest post's time: the feed's order.
    last_activity_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-last_activity_at"]),
            models.Index(fields=["owner", "visibility"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="thread_has_a_title"),
        ]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """An update by the thread's owner, or a reply by anyone who may read the thread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    # Null once the author's account is deleted: the reply stays, anonymised.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    # An update moves the thread on; a reply answers it (the owner may reply too).
    is_update = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="post_has_a_body"),
        ]

    def __str__(self) -> str:
        return f"post {self.pk} in {self.thread_id}"


class ReactionKind(models.TextChoices):
    APPLAUSE = "applause", "👏"
    INSIGHT = "insight", "💡"
    SUPPORT = "support", "🙌"
    CURIOUS = "curious", "🤔"


class Reaction(models.Model):
    """One person's reaction of one kind to one post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.post_id}"


class Packet(models.Model):
    """A promotion packet for a placement's target level: what the member chose to include.

    The packet is assembled when read from the live record, filtered by `choices`:
    {"entries": [ids], "quotes": [feedback response ids], "objectives": [ids],
    "anonymous": bool}. An empty list means none; absent means every eligible item.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="packets"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="packets"
    )
    placement = models.ForeignKey(
        "assessments.Placement", on_delete=models.CASCADE, related_name="packets"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    choices = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ShareLink(models.Model):
    """A read-only, expiring, revocable link to a packet; only the secret's hash is kept."""

    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Link to {self.packet}"


class ShareOpen(models.Model):
    """Someone opened a share link: who (when signed in) and when."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="opens")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.link_id} opened {self.opened_at:%Y-%m-%d}"
