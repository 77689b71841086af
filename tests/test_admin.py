"""The Django admin at /admin/: site staff only, read-only, and never a secret on a page.

Non-staff people (Eve, an admin of her own organization) never reach a page of it;
visitors are sent to the ordinary sign-in, second factor included. Staff read people,
organizations, frameworks, feedback requests and the audit log, but no page shows a
password or token hash, a second factor's secret, or who answered an anonymous request.
"""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from upward.accounts.models import ApiToken, Invitation
from upward.accounts.services import create_api_token, invite_member
from upward.assessments.models import FeedbackRequest
from upward.assessments.tests.factories import FeedbackRequestFactory, PlacementFactory
from upward.testing import client_for, make_user

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def staff(db):
    user = make_user("root@upward.test", "Root")
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return client_for(user)


@pytest.fixture
def secrets(alice, maya, ada, acme, monkeypatch):
    """One of each row that carries a secret, and the texts no admin page may contain."""
    token, raw = create_api_token(user=alice, name="ci", scope="read", days=30)
    invite_member(organization=acme, email="new@acme.test", role="member", by=ada)
    placement = PlacementFactory(user=alice, organization=acme, version__created_by=ada)
    emailed = FeedbackRequestFactory(placement=placement, rater=None, email="pat@out.test")
    anonymous = FeedbackRequestFactory(placement=placement, rater=maya, anonymous=True)
    totp = Authenticator.objects.create(
        user=alice, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXPQQ"}
    )
    invitation = Invitation.objects.get(email="new@acme.test")
    hidden = [
        raw,
        token.token_hash,
        invitation.token_hash,
        emailed.token_hash,
        alice.password,
        "JBSWY3DPEHPK3PXPQQ",
    ]
    return {
        "rows": [token, invitation, emailed, anonymous, totp, alice, placement],
        "hidden": hidden,
        "anonymous": anonymous,
    }


def test_a_non_staff_person_reaches_no_admin_page(as_eve, secrets):
    urls = ["/admin/"] + [changelist(model) for model in MODELS]
    urls += [change(row) for row in secrets["rows"]]
    for url in urls:
        response = as_eve.get(url, follow=True)
        assert response.status_code == 403, url


def test_a_visitor_is_sent_to_the_ordinary_sign_in(db):
    response = Client().get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_staff_read_every_registered_list_and_row(staff, secrets):
    for model in MODELS:
        assert staff.get(changelist(model)).status_code == 200, model
    for row in secrets["rows"]:
        assert staff.get(change(row)).status_code == 200, row


def test_support_models_are_registered():
    labels = {model._meta.label for model in MODELS}
    assert {
        "accounts.User",
        "accounts.Organization",
        "accounts.Membership",
        "accounts.Team",
        "accounts.Invitation",
        "accounts.ApiToken",
        "frameworks.Framework",
        "frameworks.FrameworkVersion",
        "assessments.Placement",
        "assessments.FeedbackRequest",
        "core.AuditEvent",
    } <= labels
    # Answers and signals are read only through the delta pages' anonymity rules.
    assert not {"assessments.FeedbackResponse", "assessments.Signal"} & labels


def test_no_admin_page_shows_a_hash_or_a_secret(staff, secrets):
    pages = [changelist(model) for model in MODELS] + [change(row) for row in secrets["rows"]]
    for url in pages:
        html = staff.get(url).content.decode()
        for secret in secrets["hidden"]:
            assert secret not in html, url


def test_an_anonymous_request_never_names_its_rater(staff, secrets, maya):
    anonymous = secrets["anonymous"]
    pages = [
        change(anonymous),
        changelist(FeedbackRequest),
        changelist(FeedbackRequest) + "?q=maya",
    ]
    for url in pages:
        html = staff.get(url).content.decode()
        assert maya.email not in html, url
        assert "Maya" not in html, url


def test_searching_requests_by_rater_finds_nothing(staff, secrets, maya):
    html = staff.get(changelist(FeedbackRequest), {"q": maya.email}).content.decode()
    assert "0 feedback requests" in html


def test_staff_cannot_change_read_only_rows(staff, secrets):
    token = next(row for row in secrets["rows"] if isinstance(row, ApiToken))
    response = staff.post(change(token), {"name": "renamed"})
    assert response.status_code == 403
    token.refresh_from_db()
    assert token.name == "ci"


def test_staff_can_switch_an_account_off(staff, alice):
    response = staff.post(change(alice), {"is_active": ""})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active
