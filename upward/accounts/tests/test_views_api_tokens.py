"""The API tokens page: a new token is shown once, only its hash is kept, revoking
stops it, and nobody touches someone else's tokens.
"""

from __future__ import annotations

import hashlib

from upward.accounts import services
from upward.accounts.models import ApiToken
from upward.core.models import AuditEvent
from upward.core.tests.pages import text

# --- API tokens -------------------------------------------------------------------------------


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(as_alice, alice):
    response = as_alice.post("/settings/tokens/", {"name": "laptop", "scope": "write", "days": 30})
    assert response.status_code == 200
    raw = response.context["raw_token"]
    assert raw.startswith("upw_")
    assert response.content.decode().count(raw) == 1
    assert "You won't see it again" in text(response)
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=alice)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values_list().get()]
    stored += [str(e.data) for e in AuditEvent.objects.all()]
    assert not any(raw in value for value in stored)
    assert raw not in str(dict(as_alice.session))
    again = as_alice.get("/settings/tokens/")
    assert raw not in again.content.decode()
    assert "laptop" in text(again)


def test_the_tokens_page_lists_name_prefix_scope_dates_and_status(as_alice, alice):
    active, _ = services.create_api_token(user=alice, name="ci", scope="read", days=7)
    revoked, _ = services.create_api_token(user=alice, name="old laptop", scope="write", days=7)
    services.revoke_api_token(token=revoked, by=alice)
    page = text(as_alice.get("/settings/tokens/"))
    assert f"upw_{active.prefix}_…" in page
    assert "Read only" in page
    assert "Never" in page
    assert '<span class="badge badge--good">Active</span>' in page
    assert '<span class="badge badge--bad">Revoked</span>' in page
    assert page.count('action="/settings/tokens/') == 2  # revoke ci, and the create form


def test_a_token_needs_a_name(as_alice, alice):
    response = as_alice.post("/settings/tokens/", {"name": "", "scope": "read", "days": 30})
    assert response.status_code == 422
    assert "This field is required." in text(response)
    assert not ApiToken.objects.filter(user=alice).exists()


def test_a_token_lifetime_must_be_one_of_the_choices(as_alice, alice):
    response = as_alice.post("/settings/tokens/", {"name": "ci", "scope": "read", "days": 5000})
    assert response.status_code == 422
    assert not ApiToken.objects.filter(user=alice).exists()


def test_revoking_a_token_stops_it(as_alice, alice):
    token, _ = services.create_api_token(user=alice, name="ci", scope="read", days=7)
    response = as_alice.post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Token “ci” revoked." in text(as_alice.get("/settings/tokens/"))


def test_revoking_a_token_twice_is_refused_in_place(as_alice, alice):
    token, _ = services.create_api_token(user=alice, name="ci", scope="read", days=7)
    as_alice.post(f"/settings/tokens/{token.pk}/revoke/")
    response = as_alice.post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 409
    assert "This token is already revoked." in text(response)


def test_nobody_revokes_someone_elses_token(as_eve, alice):
    token, _ = services.create_api_token(user=alice, name="ci", scope="read", days=7)
    assert as_eve.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_tokens_page_costs_the_same_queries_however_many(
    as_alice, alice, django_assert_num_queries
):
    # 1 session, 2 user, 3 the nav's current organization, 4 the nav's
    # switcher, 5 the tokens, 6 the unread count (the bell).
    with django_assert_num_queries(6):
        assert as_alice.get("/settings/tokens/").status_code == 200
    for n in range(20):
        services.create_api_token(user=alice, name=f"token {n}", scope="read", days=7)
    with django_assert_num_queries(6):
        response = as_alice.get("/settings/tokens/")
    assert "token 19" in text(response)
