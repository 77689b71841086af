"""Background work for insights: rebuilding an organization's standings."""

from __future__ import annotations

from django.tasks import task


@task()
def refresh_organization(organization_id: int) -> int:
    """Recompute every standing of an organization (its policy or anonymity threshold
    changed); returns how many were written, 0 when the organization is gone."""
    from upward.accounts.models import Organization
    from upward.insights.services.standings import rebuild

    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    return rebuild(organization)
