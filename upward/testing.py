"""Helpers for tests: people as sign-up leaves them, signed-in clients, access checks.

Fixtures live in the conftest files; this module holds what tests import by name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.http import Http404
from django.test import Client

from upward.accounts.models import User

PASSWORD = "correct horse battery staple"  # noqa: S105 (a test password)


def make_user(email: str, name: str = "") -> User:
    """A verified user with a personal space, as sign-up would leave them."""
    from upward.accounts.tests.factories import UserFactory

    return UserFactory.create(email=email, name=name)


def client_for(user: User) -> Client:
    """A test client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def allowed(call: Callable[[], Any]) -> bool:
    """Whether an access function lets the call through (False when it raises Http404)."""
    try:
        call()
    except Http404:
        return False
    return True


class BrokenMailBackend(BaseEmailBackend):
    """A mail backend whose server is down: every send raises."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError("The mail server refused the connection.")
