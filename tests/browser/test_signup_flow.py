"""A new person's first visit, in a real browser: sign up, confirm the email,
sign in, create an API token (shown once), sign out."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

pytestmark = pytest.mark.browser

EMAIL = "newcomer@example.com"
PASSWORD = "a long and unusual passphrase 42"
RAW_TOKEN = re.compile(r"upw_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}")


def submit(page, field: str) -> None:
    """Press the submit button of the form that holds input `field`."""
    page.locator(f"main form:has([name='{field}']) [type=submit]").first.click()


def confirmation_link(mailoutbox) -> str:
    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]
    found = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body)
    assert found, mailoutbox[0].body
    return found.group(0)


def api_me(base_url: str, token: str) -> dict[str, object]:
    request = urllib.request.Request(  # noqa: S310 (the live server's http:// URL)
        f"{base_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())  # type: ignore[no-any-return]


def test_a_newcomer_signs_up_confirms_signs_in_and_creates_a_token(page, live_server, mailoutbox):
    server_errors: list[str] = []
    page.on("response", lambda r: server_errors.append(r.url) if r.status >= 500 else None)
    page.goto("/accounts/signup/")
    page.fill("[name=name]", "Dana Reyes")
    page.fill("[name=email]", EMAIL)
    page.fill("[name=password1]", PASSWORD)
    page.fill("[name=password2]", PASSWORD)
    submit(page, "password2")
    page.wait_for_url("**/accounts/confirm-email/")

    # Confirming takes a click: a GET must not change anything.
    page.goto(confirmation_link(mailoutbox))
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url("**/accounts/login/**")

    page.fill("[name=login]", EMAIL)
    page.fill("[name=password]", PASSWORD)
    submit(page, "password")
    page.wait_for_url("**/dashboard/")

    page.goto("/settings/tokens/")
    page.fill("[name=name]", "Laptop script")
    page.select_option("[name=scope]", "read")
    page.select_option("select[name=days]", index=0)
    page.get_by_role("button", name="Create token").click()
    shown = RAW_TOKEN.search(page.content())
    assert shown, "the new token's secret is not on the page"
    token = shown.group(0)
    assert api_me(live_server.url, token)["email"] == EMAIL

    # Shown once: a fresh look at the page lists the token but not its secret.
    page.goto("/settings/tokens/")
    assert "Laptop script" in page.content()
    assert token not in page.content()

    page.goto("/accounts/logout/")
    page.locator("main form [type=submit]").first.click()
    page.goto("/dashboard/")
    page.wait_for_url("**/accounts/login/**")
    assert server_errors == []
