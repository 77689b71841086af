"""Shared fixtures for the account tests: an invitation to Acme whose secret the test knows."""

from __future__ import annotations

import pytest

from upward.accounts import services
from upward.accounts.models import Role


@pytest.fixture
def invite(ada, acme, monkeypatch):
    """Invite someone to Acme and return the link's secret (normally only emailed)."""

    def make(email: str, role: str = Role.MEMBER) -> str:
        secret = f"secret-for-{email.split('@')[0]}"
        monkeypatch.setattr(services, "new_link_secret", lambda: secret)
        services.invite_member(organization=acme, email=email, role=role, by=ada)
        return secret

    return make
