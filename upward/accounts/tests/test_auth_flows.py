"""Sign-up with email verification, password reset and two-factor login."""

from __future__ import annotations

import re

from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client

from upward.accounts.models import User
from upward.testing import PASSWORD

NEW_PASSWORD = "an entirely new passphrase 7"


def _link(message) -> str:
    found = re.search(r"https?://[^\s]+", message.body)
    assert found, message.body
    return found.group(0)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_a_new_account_must_verify_its_email_before_logging_in(db, mailoutbox):
    client = Client()
    client.post(
        "/accounts/signup/",
        {
            "name": "Dana Reyes",
            "email": "Dana@Example.test",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert User.objects.filter(email="dana@example.test").exists()
    assert "_auth_user_id" not in client.session

    response = client.post(
        "/accounts/login/", {"login": "dana@example.test", "password": NEW_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert "confirm" in response["Location"]

    confirm = _path(_link(mailoutbox[-1]))
    assert client.get(confirm).status_code == 200
    client.post(confirm)
    client.post("/accounts/login/", {"login": "dana@example.test", "password": NEW_PASSWORD})
    assert client.session["_auth_user_id"] == str(User.objects.get(email="dana@example.test").pk)


def test_a_password_can_be_reset_through_the_emailed_link(alice, mailoutbox):
    client = Client()
    client.post("/accounts/password/reset/", {"email": alice.email})
    assert len(mailoutbox) == 1
    form_url = client.get(_path(_link(mailoutbox[0])), follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert not alice.check_password(PASSWORD)


def test_a_reset_link_works_only_once(alice, mailoutbox):
    client = Client()
    client.post("/accounts/password/reset/", {"email": alice.email})
    link = _path(_link(mailoutbox[0]))
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    again = Client().get(link, follow=True)
    assert b"invalid" in again.content.lower() or b"bad token" in again.content.lower()


def _current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the current period, between the tolerated ones
    return format_hotp_value(hotp_value(secret, counter))


def test_with_two_factor_on_a_password_alone_does_not_log_in(alice):
    secret = generate_totp_secret()
    TOTP.activate(alice, secret)
    client = Client()
    response = client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response["Location"] == "/accounts/2fa/authenticate/"

    client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert "_auth_user_id" not in client.session

    client.post("/accounts/2fa/authenticate/", {"code": _current_code(secret)})
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_sign_up_refuses_an_address_mail_cannot_be_sent_to(db, mailoutbox):
    response = Client().post(
        "/accounts/signup/",
        {
            "name": "Dana",
            "email": "dana@\u2488.example",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "is not a domain mail can be sent to" in response.content.decode()
    assert not User.objects.filter(email__startswith="dana").exists()
    assert mailoutbox == []
