"""What the account pages share: the request type, the method guard and the
link to an organization's page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from upward.accounts.models import Organization, User

# Pages answer GET and actions POST, but only after the access check, so that
# a stranger gets 404 whatever the method. A GET of an action's URL (a bookmark,
# a reload after an error) goes to the page the action belongs to.
get_or_post = require_http_methods(["GET", "POST"])


class AuthedRequest(HttpRequest):
    """A request behind `login_required`: its user is a real User."""

    user: User


def _org_url(org: Organization) -> str:
    return reverse("org_detail", args=[org.slug])
