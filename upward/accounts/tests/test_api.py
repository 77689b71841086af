"""The accounts API through HTTP, as clients use it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from upward.accounts.models import ApiToken, Invitation, Membership, Organization, Role, Team
from upward.accounts.services import create_api_token, invite_member
from upward.core.models import AuditEvent
from upward.core.tokens import digest


def bearer(user, scope="read"):
    _token, raw = create_api_token(user=user, name="test", scope=scope, days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post_json(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def patch_json(client, url, body, **headers):
    return client.patch(url, data=json.dumps(body), content_type="application/json", **headers)


def test_me_lists_the_people_and_organizations_of_the_token_owner(alice):
    response = Client().get("/api/v1/me", **bearer(alice))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "alice@acme.test"
    slugs = {org["slug"]: org["role"] for org in body["organizations"]}
    assert slugs["acme"] == "member"
    assert any(org["is_personal"] for org in body["organizations"])


def test_an_anonymous_request_gets_401_with_the_error_shape(db):
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "unauthenticated"
    assert "Bearer" in error["message"]
    assert error["fields"] == []


@pytest.mark.parametrize(
    "header",
    ["Bearer upw_nothing", "Bearer upw_abcdefgh_wrongsecret", "Bearer not-even-a-token"],
)
def test_a_bad_token_is_refused_with_a_clear_message(db, header):
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "The access token is invalid, expired or revoked."


def test_a_revoked_token_stops_working_at_once(alice):
    token, raw = create_api_token(user=alice, name="ci", scope="read", days=30)
    client = Client()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    response = client.delete(f"/api/v1/tokens/{token.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403  # a read token can't revoke, even itself
    as_session = Client()
    as_session.force_login(alice)
    assert as_session.delete(f"/api/v1/tokens/{token.pk}").status_code == 204
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_an_expired_token_is_refused(alice):
    token, raw = create_api_token(user=alice, name="old", scope="read", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at="2020-01-01T00:00:00Z")
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(alice):
    headers = bearer(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert Client().get("/api/v1/me", **headers).status_code == 401


def test_a_read_token_cannot_write(alice):
    response = post_json(Client(), "/api/v1/orgs", {"name": "Initech"}, **bearer(alice))
    assert response.status_code == 403
    assert "read-only" in response.json()["error"]["message"]
    assert not Membership.objects.filter(organization__name="Initech").exists()


def test_a_write_token_can_write(alice):
    response = post_json(Client(), "/api/v1/orgs", {"name": "Initech"}, **bearer(alice, "write"))
    assert response.status_code == 201
    assert response.json()["role"] == "admin"
    assert Membership.objects.get(organization__slug=response.json()["slug"]).user == alice


def test_tokens_are_stored_only_as_hashes(alice):
    response = post_json(
        _session(alice),
        "/api/v1/tokens",
        {"name": "laptop", "scope": "write", "expires_in_days": 7},
    )
    assert response.status_code == 201
    raw = response.json()["token"]
    assert raw.startswith("upw_")
    stored = ApiToken.objects.get(pk=response.json()["id"])
    assert stored.token_hash == digest(raw)
    assert raw not in json.dumps(list(ApiToken.objects.values()), default=str)
    listed = _session(alice).get("/api/v1/tokens").json()["items"]
    assert "token" not in listed[0]


@pytest.mark.parametrize("enforce_csrf", [False, True])
def test_a_token_cannot_create_more_tokens(alice, enforce_csrf):
    client = Client(enforce_csrf_checks=enforce_csrf)
    response = post_json(client, "/api/v1/tokens", {"name": "x"}, **bearer(alice, "write"))
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "forbidden"
    assert error["message"].startswith("Tokens are made from a signed-in session")
    assert "CSRF" not in error["message"]
    assert ApiToken.objects.filter(user=alice).count() == 1


@pytest.mark.parametrize("body", [[None, None], "Platform", 5, None])
def test_a_body_that_is_not_a_json_object_is_refused(ada, platform, body):
    url = f"/api/v1/orgs/acme/teams/{platform.pk}"
    response = _session(ada).patch(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["message"] == "The body must be a JSON object."
    assert error["fields"] == [{"path": "body", "message": "The body must be a JSON object."}]
    platform.refresh_from_db()
    assert (platform.name, platform.manager.email) == ("Platform", "bob@acme.test")


@pytest.mark.parametrize("slug", ["init_tech", "Initech", "init--tech", "-initech", "init tech"])
def test_a_short_name_outside_the_declared_pattern_is_refused(alice, slug):
    response = post_json(_session(alice), "/api/v1/orgs", {"name": "Initech", "slug": slug})
    assert response.status_code == 422
    assert [f["path"] for f in response.json()["error"]["fields"]] == ["body.slug"]
    assert not Organization.objects.filter(name="Initech").exists()


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"name": "", "scope": "read"}, "body.name"),
        ({"name": "x", "scope": "admin"}, "body.scope"),
        ({"name": "x", "expires_in_days": 0}, "body.expires_in_days"),
        ({"name": "x", "expires_in_days": 10_000}, "body.expires_in_days"),
        ({"scope": "read"}, "body.name"),
    ],
)
def test_bad_token_requests_name_the_field_and_write_nothing(alice, body, path):
    response = post_json(_session(alice), "/api/v1/tokens", body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert [f["path"] for f in error["fields"]] == [path]
    assert path in error["message"]
    assert not ApiToken.objects.filter(user=alice).exists()


def test_a_body_that_is_not_json_gets_a_clear_400(alice):
    response = _session(alice).post("/api/v1/orgs", data="{nope", content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_request"
    assert "parse" in error["message"].lower()


def test_an_oversized_body_gets_413_and_writes_nothing(alice, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"name": "x" * 5000}
    response = post_json(_session(alice), "/api/v1/orgs", body)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert Membership.objects.filter(user=alice).count() == 2


def test_session_writes_need_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = post_json(client, "/api/v1/orgs", {"name": "Initech"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    client.get("/api/v1/me")  # any page sets the cookie only when a template asks; fetch one
    client.cookies["csrftoken"] = "a" * 32
    response = post_json(client, "/api/v1/orgs", {"name": "Initech"}, HTTP_X_CSRFTOKEN="a" * 32)
    assert response.status_code == 201


def test_an_admin_changes_a_role_and_it_is_audited(ada, alice, acme):
    membership = Membership.objects.get(organization=acme, user=alice)
    response = patch_json(
        _session(ada), f"/api/v1/orgs/acme/members/{membership.pk}", {"role": "mentor"}
    )
    assert response.status_code == 200
    assert response.json()["role"] == "mentor"
    event = AuditEvent.objects.get(code="account.member.role_changed")
    assert event.actor == ada
    assert event.organization == acme
    assert event.data == {"user": alice.email, "from": "member", "to": "mentor"}


def test_an_unknown_role_names_the_field(ada, alice, acme):
    membership = Membership.objects.get(organization=acme, user=alice)
    response = patch_json(
        _session(ada), f"/api/v1/orgs/acme/members/{membership.pk}", {"role": "owner"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.role"
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER


def test_the_last_admin_cannot_be_demoted(ada, acme):
    membership = Membership.objects.get(organization=acme, user=ada)
    response = patch_json(
        _session(ada), f"/api/v1/orgs/acme/members/{membership.pk}", {"role": "member"}
    )
    assert response.status_code == 409
    assert "at least one admin" in response.json()["error"]["message"]


def test_a_member_can_leave_but_not_remove_others(alice, bob, acme):
    bob_membership = Membership.objects.get(organization=acme, user=bob)
    response = _session(alice).delete(f"/api/v1/orgs/acme/members/{bob_membership.pk}")
    assert response.status_code == 404
    own = Membership.objects.get(organization=acme, user=alice)
    assert _session(alice).delete(f"/api/v1/orgs/acme/members/{own.pk}").status_code == 204
    assert not Membership.objects.filter(organization=acme, user=alice).exists()
    assert AuditEvent.objects.filter(code="account.member.left").count() == 1


def test_an_invitation_is_created_sent_and_accepted_once(
    ada, acme, mailoutbox, django_capture_on_commit_callbacks
):
    from upward.testing import make_user

    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(
            _session(ada),
            "/api/v1/orgs/acme/invitations",
            {"email": "Newbie@Acme.test", "role": "member"},
        )
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/invitations/" in line)
    secret = link.rstrip("/").rsplit("/", 1)[1]
    assert Invitation.objects.get().token_hash == digest(secret)
    newbie = make_user("newbie@acme.test")
    client = _session(newbie)
    response = post_json(client, "/api/v1/invitations/accept", {"token": secret})
    assert response.status_code == 201
    assert response.json()["slug"] == "acme"
    again = post_json(client, "/api/v1/invitations/accept", {"token": secret})
    assert again.status_code == 409
    assert "already been used" in again.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"email": "not-an-email"}, "body.email"),
        ({"email": "x@acme.test", "role": "king"}, "body.role"),
        ({}, "body.email"),
    ],
)
def test_bad_invitations_name_the_field_and_write_nothing(ada, body, path, mailoutbox):
    response = post_json(_session(ada), "/api/v1/orgs/acme/invitations", body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == path
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_inviting_a_current_member_is_a_conflict(ada, alice):
    response = post_json(_session(ada), "/api/v1/orgs/acme/invitations", {"email": alice.email})
    assert response.status_code == 409
    assert response.json()["error"]["fields"] == [
        {"path": "body.email", "message": f"{alice.email} is already a member."}
    ]


def test_an_invitation_for_someone_else_cannot_be_accepted(ada, acme, eve):
    invitation = invite_member(organization=acme, email="carol@acme.test", role="member", by=ada)
    assert invitation.pk
    # The secret was emailed; find it the way the recipient would, by rebuilding one we know.
    from upward.core.tokens import new_link_secret

    secret = new_link_secret()
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=digest(secret))
    response = post_json(_session(eve), "/api/v1/invitations/accept", {"token": secret})
    assert response.status_code == 422
    assert "sent to carol@acme.test" in response.json()["error"]["message"]
    assert not Membership.objects.filter(organization=acme, user=eve).exists()


def test_a_team_manager_cannot_change_who_is_on_the_team_or_who_manages_it(
    bob, alice, maya, platform
):
    client = _session(bob)
    base = f"/api/v1/orgs/acme/teams/{platform.pk}"
    assert post_json(client, f"{base}/members", {"user_id": maya.pk}).status_code == 404
    assert client.delete(f"{base}/members/{alice.pk}").status_code == 404
    assert patch_json(client, base, {"manager_id": maya.pk}).status_code == 404
    assert patch_json(client, base, {"clear_manager": True}).status_code == 404
    assert patch_json(client, base, {"name": "Core"}).status_code == 404
    platform.refresh_from_db()
    assert (platform.name, platform.manager) == ("Platform", bob)
    assert set(platform.members.all()) == {alice}


def test_an_admin_changes_who_is_on_a_team(ada, alice, maya, platform):
    client = _session(ada)
    base = f"/api/v1/orgs/acme/teams/{platform.pk}"
    response = post_json(client, f"{base}/members", {"user_id": maya.pk})
    assert response.status_code == 201
    assert {m["email"] for m in response.json()["members"]} == {alice.email, maya.email}
    assert client.delete(f"{base}/members/{alice.pk}").status_code == 204
    assert set(platform.members.all()) == {maya}


def test_adding_someone_from_another_organization_to_a_team_is_refused(ada, platform, eve):
    response = post_json(
        _session(ada), f"/api/v1/orgs/acme/teams/{platform.pk}/members", {"user_id": eve.pk}
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.user_id"


def test_duplicate_team_names_are_refused(ada, platform):
    response = post_json(_session(ada), "/api/v1/orgs/acme/teams", {"name": "platform"})
    assert response.status_code == 409
    assert Team.objects.filter(organization=platform.organization).count() == 1


def test_the_audit_log_is_for_admins_only(ada, alice, acme):
    assert _session(alice).get("/api/v1/orgs/acme/audit").status_code == 404
    post_json(_session(ada), "/api/v1/orgs/acme/teams", {"name": "Growth"})
    response = _session(ada).get("/api/v1/orgs/acme/audit")
    assert response.status_code == 200
    codes = [item["code"] for item in response.json()["items"]]
    assert codes[0] == "account.team.created"


def test_listing_members_costs_the_same_queries_however_many_there_are(
    ada, acme, django_assert_num_queries
):
    from upward.testing import make_user

    client = _session(ada)

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/orgs/acme/members").status_code == 200
        return len(ctx)

    before = count_queries()
    for i in range(20):
        Membership.objects.create(organization=acme, user=make_user(f"p{i}@acme.test"))
    # session, user, membership (access), count, page of members with users
    with django_assert_num_queries(before):
        assert client.get("/api/v1/orgs/acme/members").json()["count"] == 21


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Input the mail server, the database or a page title could not take ---------------------


@pytest.mark.parametrize(
    "email",
    [
        "a@b\u0080.cd",
        "x@y.zz\nBcc: victim@example.org",
        "a@b.example\r\nBcc: victim@x.example",
        "a@b.example,c@d.example",
        "a@\u2488.example",
        "a@" + "ü" * 60 + ".example",
    ],
)
def test_an_invitation_to_an_address_mail_cannot_take_writes_nothing(ada, acme, email):
    response = post_json(_session(ada), "/api/v1/orgs/acme/invitations", {"email": email})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.email"
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(code="account.invitation.created").exists()


@pytest.mark.django_db(transaction=True)
def test_an_invitation_from_an_organization_with_a_broken_name_is_sent_on_one_line(
    ada, acme, mailoutbox
):
    Organization.objects.filter(pk=acme.pk).update(name="Acme\r\nBcc: victim@x.example")
    response = post_json(_session(ada), "/api/v1/orgs/acme/invitations", {"email": "c@acme.test"})
    assert response.status_code == 201
    assert mailoutbox[0].subject == "[Upward] You're invited to Acme Bcc: victim@x.example"
    assert mailoutbox[0].recipients() == ["c@acme.test"]


@pytest.mark.django_db(transaction=True)
def test_an_invitation_stays_when_the_mail_server_fails_after_commit(
    ada, acme, broken_mail, caplog
):
    response = post_json(_session(ada), "/api/v1/orgs/acme/invitations", {"email": "c@acme.test"})
    assert response.status_code == 201
    assert Invitation.objects.get().email == "c@acme.test"
    assert "Sending mail failed" in caplog.text
    again = post_json(_session(ada), "/api/v1/orgs/acme/invitations", {"email": "c@acme.test"})
    assert again.status_code == 409  # pending; an admin can withdraw it and invite again


@pytest.mark.parametrize(
    "name", ["Acme\x00", "Acme\r\nBcc: victim@x.example", "Ac\tme", "Acme\x1b[2J", "A\u2028B"]
)
def test_organization_team_and_token_names_hold_no_control_characters(ada, platform, name):
    client = _session(ada)
    before = (Organization.objects.count(), Team.objects.count(), ApiToken.objects.count())
    for url, body in [
        ("/api/v1/orgs", {"name": name}),
        ("/api/v1/orgs/acme/teams", {"name": name}),
        ("/api/v1/tokens", {"name": name}),
    ]:
        response = post_json(client, url, body, HTTP_X_CSRFTOKEN="x")
        assert response.status_code == 422, url
        assert response.json()["error"]["fields"][0]["path"] == "body.name", url
    response = patch_json(client, f"/api/v1/orgs/acme/teams/{platform.pk}", {"name": name})
    assert response.json()["error"]["fields"][0]["path"] == "body.name"
    after = (Organization.objects.count(), Team.objects.count(), ApiToken.objects.count())
    assert after == before
    assert Team.objects.get(pk=platform.pk).name == "Platform"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/orgs",
        "/api/v1/orgs/acme/members",
        "/api/v1/orgs/acme/teams",
        "/api/v1/orgs/acme/invitations",
        "/api/v1/orgs/acme/audit",
        "/api/v1/tokens",
    ],
)
def test_a_page_number_past_any_list_is_refused_naming_it(ada, url):
    response = _session(ada).get(url, {"page": "1000000000000000000"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "query.page"
    assert _session(ada).get(url, {"page": "100000"}).status_code == 200


TOO_BIG = 2**63


def test_ids_past_what_the_database_holds_are_refused_naming_them(ada, platform):
    client = _session(ada)
    teams = "/api/v1/orgs/acme/teams"
    checks = [
        (post_json(client, teams, {"name": "Ops", "manager_id": TOO_BIG}), "body.manager_id"),
        (
            patch_json(client, f"{teams}/{platform.pk}", {"manager_id": TOO_BIG}),
            "body.manager_id",
        ),
        (post_json(client, f"{teams}/{platform.pk}/members", {"user_id": TOO_BIG}), "body.user_id"),
        (client.get(f"{teams}/{TOO_BIG}"), "path.team_id"),
        (client.delete(f"{teams}/{platform.pk}/members/{TOO_BIG}"), "path.user_id"),
        (client.delete(f"/api/v1/orgs/acme/members/{TOO_BIG}"), "path.member_id"),
        (client.delete(f"/api/v1/orgs/acme/invitations/{TOO_BIG}"), "path.invitation_id"),
        (client.delete(f"/api/v1/tokens/{TOO_BIG}"), "path.token_id"),
    ]
    for response, path in checks:
        assert response.status_code == 422, path
        assert response.json()["error"]["fields"][0]["path"] == path
    assert not Team.objects.filter(name="Ops").exists()


def test_head_on_a_read_answers_as_get_without_the_body(alice):
    client = Client()
    for url in ["/api/v1/me", "/api/v1/orgs", "/api/v1/orgs/acme/members"]:
        got = client.get(url, **bearer(alice))
        head = client.head(url, **bearer(alice))
        assert head.status_code == 200, url
        assert head.content == b""
        assert head["Content-Type"] == got["Content-Type"]
        assert head["Content-Length"] == str(len(got.content))
    assert client.head("/api/v1/me").status_code == 401
    assert client.head("/api/v1/orgs/globex", **bearer(alice)).status_code == 404
