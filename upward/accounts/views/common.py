"""What the account pages share: the link to an organization's page."""

from __future__ import annotations

from django.urls import reverse

from upward.accounts.models import Organization


def org_url(org: Organization) -> str:
    """The organization's page, where its member, team and invitation actions return."""
    return reverse("accounts:org_detail", args=[org.slug])
