"""The site's shell: landing page, dashboard, error pages, allauth pages in our
layout, the vendored htmx, and no inline code anywhere (the CSP forbids it)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import get_template
from django.test import Client, RequestFactory
from django.utils import timezone

from upward.accounts import services
from upward.accounts.models import Membership
from upward.core import views
from upward.core.tests.pages import (
    INLINE_HANDLER,
    INLINE_STYLE,
    SCRIPT_TAG,
    STYLE_TAG,
    assert_no_inline_code,
    text,
)
from upward.testing import PASSWORD

STATIC = Path(settings.BASE_DIR) / "static" / "upward"


# --- The landing page and the dashboard --------------------------------------------


def test_the_landing_page_pitches_upward_and_offers_sign_up_and_log_in(db):
    response = Client().get("/")
    assert response.status_code == 200
    html = text(response)
    assert "Know exactly what stands between you and the next level" in html
    assert 'href="/accounts/signup/"' in html
    assert 'href="/accounts/login/"' in html
    assert_no_inline_code(response)


def test_signed_in_people_skip_the_landing_page(as_alice):
    response = as_alice.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_the_dashboard_tells_a_member_what_to_do_next(as_alice):
    response = as_alice.get("/dashboard/")
    assert response.status_code == 200
    html = text(response)
    for step in ("Pick your framework and level", "Ask for feedback", "Build a roadmap"):
        assert step in html
    assert "Coming soon" not in html
    assert 'href="/roadmap/templates/"' in html
    assert 'href="/orgs/#create"' in html
    assert 'href="/settings/tokens/"' in html
    assert 'href="/accounts/2fa/totp/activate/"' in html
    assert_no_inline_code(response)


def test_the_dashboard_asks_a_company_admin_to_invite_their_team(ada, acme):
    client = Client()
    client.force_login(ada)
    client.post("/orgs/switch/", {"organization": "acme"})
    response = client.get("/dashboard/")
    assert "Invite your team" in text(response)
    assert 'href="/orgs/acme/#invite"' in text(response)


def test_the_dashboard_does_not_ask_a_plain_member_to_invite_anyone(as_alice):
    as_alice.post("/orgs/switch/", {"organization": "acme"})
    assert "Invite your team" not in text(as_alice.get("/dashboard/"))


def test_the_dashboard_says_when_two_factor_is_already_on(alice, as_alice):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=alice, type=Authenticator.Type.TOTP, data={})
    html = text(as_alice.get("/dashboard/"))
    assert "Two-factor is on" in html
    assert "Turn on two-factor" not in html


def test_the_dashboard_needs_a_signed_in_person(db):
    response = Client().get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- The layout ---------------------------------------------------------------------


def test_every_page_has_a_skip_link_the_nav_and_the_stylesheet(as_alice):
    html = text(as_alice.get("/dashboard/"))
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert 'href="/static/upward/css/tokens.css"' in html
    assert 'href="/static/upward/css/badges.css"' in html
    assert 'href="/api/v1/docs"' in html
    assert 'href="/accounts/2fa/"' in html
    assert 'href="/settings/tokens/"' in html


def test_log_out_in_the_menu_is_a_post_form(as_alice):
    html = text(as_alice.get("/dashboard/"))
    assert re.search(r'<form method="post" action="/accounts/logout/">', html)


def test_the_organization_switcher_lists_my_organizations(as_alice):
    html = text(as_alice.get("/dashboard/"))
    assert 'action="/orgs/switch/"' in html
    assert '<option value="acme"' in html
    assert "Alice's space" in html


def test_someone_in_one_organization_gets_no_switcher(db):
    from upward.testing import make_user

    loner = make_user("loner@example.test")
    client = Client()
    client.force_login(loner)
    assert 'action="/orgs/switch/"' not in text(client.get("/dashboard/"))


def test_htmx_is_vendored_with_its_licence_and_loaded_without_eval(as_alice):
    assert (STATIC / "vendor" / "htmx.min.js").stat().st_size > 10_000
    assert "Zero-Clause BSD" in (STATIC / "vendor" / "htmx.LICENSE").read_text()
    html = as_alice.get("/dashboard/").content.decode()
    assert '<script src="/static/upward/vendor/htmx.min.js" defer></script>' in html
    assert '"allowEval": false' in html
    assert '"includeIndicatorStyles": false' in html


def test_htmx_requests_carry_the_csrf_token(as_alice):
    response = as_alice.get("/dashboard/")
    token = response.context["csrf_token"]
    assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in response.content.decode()


@pytest.mark.parametrize("path", sorted((STATIC / "css").glob("*.css")), ids=lambda p: p.name)
def test_no_stylesheet_loads_anything_from_elsewhere(path):
    css = path.read_text()
    assert "@import" not in css
    assert "http://" not in css
    assert "https://" not in css


def test_every_stylesheet_is_loaded_once_and_none_is_missing():
    html = get_template("stylesheets.html").render({})
    loaded = re.findall(r'href="/static/upward/css/([\w-]+\.css)"', html)
    assert loaded[0] == "tokens.css"
    assert sorted(loaded) == sorted(p.name for p in (STATIC / "css").glob("*.css"))
    assert len(loaded) == len(set(loaded))


def test_messages_show_in_the_page(as_alice):
    response = as_alice.post("/orgs/switch/", {"organization": "acme"}, follow=True)
    assert '<div class="alert alert-info">You&#x27;re now working in Acme.</div>' in (
        response.content.decode()
    )


# --- Error pages -------------------------------------------------------------------------


def test_a_missing_page_gets_the_friendly_404(as_alice):
    response = as_alice.get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn't find that page" in text(response)
    assert_no_inline_code(response)


def test_the_403_page_is_friendly(db):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = views.forbidden(request)
    assert response.status_code == 403
    assert "You can't do that here" in text(response)
    assert_no_inline_code(response)


def test_the_500_page_renders_with_no_context_at_all():
    html = get_template("500.html").render({})
    assert "Something went wrong on our side" in unescape(html)
    assert "/static/upward/css/tokens.css" in html


def test_a_failed_csrf_check_gets_our_own_page(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "This form has expired" in text(response)
    assert_no_inline_code(response)


def test_the_500_handler_answers_500(rf):
    response = views.server_error(rf.get("/"))
    assert response.status_code == 500
    assert_no_inline_code(response)


# --- allauth pages in our layout ----------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_sign_in_pages_use_our_layout(db, url):
    response = Client().get(url)
    assert response.status_code == 200
    html = text(response)
    assert 'class="topbar"' in html
    assert 'class="entrance"' in html
    assert 'class="form"' in html
    assert_no_inline_code(response)


@pytest.mark.parametrize(
    "url",
    ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/", "/accounts/logout/"],
)
def test_account_settings_pages_use_our_settings_layout(as_alice, url):
    response = as_alice.get(url)
    assert response.status_code == 200
    html = text(response)
    assert 'class="settings-nav"' in html
    assert 'href="/settings/tokens/"' in html
    assert_no_inline_code(response)


def test_a_failed_login_shows_the_error_above_the_form(alice):
    response = Client().post("/accounts/login/", {"login": alice.email, "password": "nope"})
    assert response.status_code == 200
    assert 'class="errorlist nonfield"' in response.content.decode()
    assert "not correct" in text(response)


def test_signup_errors_sit_under_their_field(db):
    response = Client().post(
        "/accounts/signup/",
        {"name": "New", "email": "new@example.test", "password1": "short", "password2": "short"},
    )
    html = response.content.decode()
    assert re.search(r'<ul class="errorlist" id="id_password1_error">', html)
    assert 'aria-invalid="true"' in html


def test_the_email_confirmation_page_uses_our_layout(db, mailoutbox):
    Client().post(
        "/accounts/signup/",
        {
            "name": "Dana",
            "email": "dana@example.test",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    link = re.search(r"http\S+/accounts/confirm-email/\S+/", mailoutbox[0].body)
    assert link
    response = Client().get(urlsplit(link.group(0)).path)
    assert response.status_code == 200
    assert 'class="entrance"' in response.content.decode()
    assert_no_inline_code(response)


def test_activating_two_factor_shows_the_qr_code_as_a_data_image(alice):
    client = Client()
    client.force_login(alice)
    # Changing security settings asks for the password again, on a page in our layout.
    ask = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert ask.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    assert_no_inline_code(ask)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" class="qr"', html)
    assert_no_inline_code(response)


def test_the_two_factor_step_of_signing_in_uses_our_layout(alice):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(alice, generate_totp_secret())
    client = Client()
    client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    response = client.get("/accounts/2fa/authenticate/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="entrance"' in html
    assert 'name="code"' in html
    assert 'form="logout-from-stage"' in html  # "Cancel" still reaches its form
    assert_no_inline_code(response)


def test_logging_out_from_the_menu_signs_me_out(as_alice):
    response = as_alice.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in as_alice.session


def test_a_password_reset_link_opens_in_our_layout(alice, mailoutbox):
    Client().post("/accounts/password/reset/", {"email": alice.email})
    link = re.search(r"http\S+/accounts/password/reset/key/\S+/", mailoutbox[0].body)
    assert link
    client = Client()
    response = client.get(urlsplit(link.group(0)).path, follow=True)
    assert response.status_code == 200
    assert 'name="password1"' in response.content.decode()
    assert_no_inline_code(response)


# --- No inline code on any page -------------------------------------------------------------


@pytest.fixture
def acme_world(ada, alice, bob, maya, acme, platform, monkeypatch):
    """Something of every kind in Acme, so every page has rows to render."""
    monkeypatch.setattr(services, "new_link_secret", lambda: "the-secret")
    services.invite_member(organization=acme, email="carol@acme.test", role="member", by=ada)
    services.create_api_token(user=ada, name="laptop", scope="read", days=30)
    expired, _raw = services.create_api_token(user=ada, name="old", scope="write", days=1)
    expired.expires_at = timezone.now() - timedelta(days=1)
    expired.save(update_fields=["expires_at"])
    return {"team": platform.pk}


PAGES_FOR_ADA = [
    "/dashboard/",
    "/orgs/",
    "/orgs/acme/",
    "/orgs/acme/teams/{team}/",
    "/orgs/acme/audit/",
    "/settings/tokens/",
    "/invitations/the-secret/",
    "/invitations/not-a-secret/",
    "/does-not-exist/",
]


@pytest.mark.parametrize("url", PAGES_FOR_ADA)
def test_no_page_has_inline_styles_or_handlers(acme_world, ada, url):
    client = Client()
    client.force_login(ada)
    response = client.get(url.format(**acme_world))
    assert response.status_code in (200, 404)
    assert_no_inline_code(response)


# Templates of files people download rather than pages the site serves: each carries its
# own style sheet so it reads the same wherever it is opened, and never any script.
DOWNLOADED_DOCUMENTS = {"evidence/packet_document.html"}


def test_no_template_source_has_inline_styles_handlers_or_scripts():
    # Catches templates no test renders, too.
    templates = [
        path
        for path in Path(settings.BASE_DIR).glob("**/templates/**/*.html")
        if "site-packages" not in path.parts
    ]
    assert len(templates) > 20
    for path in templates:
        source = path.read_text()
        assert not INLINE_STYLE.search(source), path
        assert not INLINE_HANDLER.search(source), path
        if path.relative_to(path.parents[1]).as_posix() not in DOWNLOADED_DOCUMENTS:
            assert not STYLE_TAG.search(source), path
        for tag in SCRIPT_TAG.findall(source):
            assert "src=" in tag, (path, tag)


def test_a_plain_members_view_of_the_organization_has_no_inline_code(acme_world, as_alice):
    response = as_alice.get("/orgs/acme/")
    assert response.status_code == 200
    assert_no_inline_code(response)


def test_a_personal_space_page_has_no_inline_code(as_alice, alice):
    slug = Membership.objects.get(user=alice, organization__is_personal=True).organization.slug
    response = as_alice.get(f"/orgs/{slug}/")
    assert response.status_code == 200
    assert_no_inline_code(response)


def test_the_page_that_shows_a_new_token_has_no_inline_code(as_alice):
    response = as_alice.post("/settings/tokens/", {"name": "ci", "scope": "read", "days": 30})
    assert response.status_code == 200
    assert_no_inline_code(response)
