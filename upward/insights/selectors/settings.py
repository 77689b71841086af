"""An organization's insight settings as they apply now."""

from __future__ import annotations

from upward.accounts.models import Organization
from upward.insights.models import InsightSettings

__all__ = ["settings_of"]


def settings_of(organization: Organization) -> InsightSettings:
    """The organization's stored settings, or unsaved defaults when none are: 1 query."""
    found = InsightSettings.objects.filter(organization=organization).first()
    return found if found is not None else InsightSettings(organization=organization)
