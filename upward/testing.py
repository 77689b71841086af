"""Helpers for tests: people as sign-up leaves them, signed-in clients, pages, access checks.

Fixtures live in the conftest files; this module holds what tests import by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import unescape
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.http import Http404
from django.http.response import HttpResponseBase
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


@dataclass(frozen=True)
class Page:
    """A page as a test reads it: the response, its HTML (entities decoded) and its words."""

    response: HttpResponseBase
    html: str

    @property
    def words(self) -> str:
        """What the page says: tags dropped, spaces collapsed."""
        return " ".join(re.sub(r"<[^>]+>", " ", self.html).split())


def page(who: User | Client, url: str, *, status: int = 200, **headers: str) -> Page:
    """GET `url` as `who` (a user, signed in for this, or a signed-in client), check the status.

    `headers` go with the request as given (``HX_Request="true"`` for an htmx fragment).
    """
    client = client_for(who) if isinstance(who, User) else who
    response = client.get(url, headers=headers or None)
    assert response.status_code == status, (url, response.status_code)
    return Page(response, unescape(response.content.decode()))


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


def log_in(tab: Any, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form in a Playwright tab and wait for the dashboard
    (whoever was signed in before is signed out first)."""
    tab.context.clear_cookies()
    tab.goto("/accounts/login/")
    tab.fill("[name=login]", email)
    tab.fill("[name=password]", password)
    tab.locator("main form:has([name=password]) [type=submit]").first.click()
    tab.wait_for_url("**/dashboard/")
