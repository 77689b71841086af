"""Helpers for the account page tests."""

from __future__ import annotations

from upward.accounts.models import Membership


def membership(org, user) -> Membership:
    return Membership.objects.get(organization=org, user=user)
