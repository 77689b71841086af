"""Security headers on every page, and the login lockout."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from upward.testing import PASSWORD

STATIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/api/v1/docs",
    "/does-not-exist/",
]


def _assert_strict_csp(response, url: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    assert policy, f"{url} sent no Content-Security-Policy"
    directives = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    assert directives["default-src"] == "'none'", url
    assert "'unsafe-inline'" not in policy, url
    assert "'unsafe-eval'" not in policy, url
    assert directives["frame-ancestors"] == "'none'", url
    # Django adds a nonce only to responses whose template used one.
    assert directives["script-src"].startswith("'self'"), url


@pytest.mark.parametrize("url", STATIC_PAGES)
def test_public_pages_send_a_strict_content_security_policy(db, url):
    response = Client().get(url)
    _assert_strict_csp(response, url)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _simple_page_routes() -> list[str]:
    """Every named page route without parameters, outside the API."""

    def walk(entries, prefix=""):
        for entry in entries:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield "/" + prefix + str(entry.pattern)

    return [
        route
        for route in walk(get_resolver().url_patterns)
        if "<" not in route and "(" not in route and not route.startswith(("/api/", "/static/"))
    ]


def test_every_page_a_signed_in_member_opens_sends_the_policy(as_alice):
    routes = _simple_page_routes()
    assert len(routes) > 10
    for url in routes:
        response = as_alice.get(url)
        _assert_strict_csp(response, url)


def test_inline_scripts_on_pages_carry_the_nonce(as_alice):
    response = as_alice.get("/dashboard/")
    html = response.content.decode()
    found = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    nonce = found.group(1) if found else None
    for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
        assert "src=" in tag or (nonce and f'nonce="{nonce}"' in tag), tag


def _login(client: Client, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_login_locks_out_after_repeated_failures_and_the_lockout_expires(alice, monkeypatch):
    client = Client()
    for _ in range(5):
        response = _login(client, alice.email, "wrong password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    locked = _login(client, alice.email, PASSWORD)
    assert "_auth_user_id" not in client.session, "the right password must not work while locked"
    assert b"Too many failed login attempts" in locked.content

    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)
    _login(client, alice.email, PASSWORD)
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_lockout_is_per_account_not_global(alice, bob):
    client = Client()
    for _ in range(6):
        _login(client, alice.email, "wrong password")
    _login(client, bob.email, PASSWORD)
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_login_forms_are_csrf_protected(alice):
    client = Client(enforce_csrf_checks=True)
    response = _login(client, alice.email, PASSWORD)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2_outside_tests(tmp_path):
    # The suite swaps in a fast hasher; a real process must lead with Argon2.
    env = {
        **os.environ,
        "UPWARD_TESTING": "0",
        "UPWARD_SECRET_KEY": "k" * 50,
        "UPWARD_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "upward.settings",
    }
    code = "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"
