"""Names and profiles: sign-up asks for a name; the profile page and API keep a name,
a time zone and languages, refusing bad values by field and saving nothing then."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from upward.accounts import profiles
from upward.accounts.middleware import personal_time_zone
from upward.accounts.models import Membership, User
from upward.accounts.services import create_api_token
from upward.core.errors import Invalid
from upward.core.models import AuditEvent
from upward.core.tests.pages import assert_no_inline_code
from upward.testing import make_user, page

PASSPHRASE = "a long passphrase 42"


def _sign_up(**fields: str):
    data = {"email": "dana@example.test", "password1": PASSPHRASE, "password2": PASSPHRASE}
    return Client().post("/accounts/signup/", {**data, **fields})


def test_sign_up_without_a_name_is_refused_and_makes_no_account(db, mailoutbox):
    response = _sign_up()
    assert response.status_code == 200
    assert 'id="id_name_error"' in response.content.decode()
    assert not User.objects.filter(email="dana@example.test").exists()
    assert mailoutbox == []


@pytest.mark.parametrize("name", ["   ", "Dana\nBcc: x@evil.test", "x" * 151])
def test_sign_up_refuses_a_blank_multi_line_or_long_name(db, name):
    response = _sign_up(name=name)
    assert response.status_code == 200
    assert 'id="id_name_error"' in response.content.decode()
    assert not User.objects.filter(email="dana@example.test").exists()


def test_sign_up_keeps_the_name_and_names_the_personal_space_after_it(db, mailoutbox):
    response = _sign_up(name="  Dana Reyes ")
    assert response.status_code == 302
    user = User.objects.get(email="dana@example.test")
    assert user.name == "Dana Reyes"
    assert Membership.objects.get(user=user).organization.name == "Dana Reyes's space"


def test_the_sign_up_form_asks_for_the_name_first(db):
    html = Client().get("/accounts/signup/").content.decode()
    assert html.index('name="name"') < html.index('name="email"')
    assert 'autocomplete="name"' in html


def test_without_a_name_a_person_is_shown_by_their_whole_address_as_typed():
    user = User(pk=3, email="mentor.outside@partner.example")
    assert user.display_name == "mentor.outside@partner.example"
    assert user.initials == "M"
    assert User(pk=3, email="x@y.test", name="Ada de la Cruz").initials == "AC"
    assert User(pk=3, email="x@y.test", name="Ada").initials == "A"


def test_avatar_colours_stay_the_same_and_differ_between_neighbours():
    hues = [User(pk=pk, email="x@y.test").avatar_hue for pk in range(1, 6)]
    assert len(set(hues)) == 5
    assert all(0 <= hue < 360 for hue in hues)
    assert User(pk=2, email="z@y.test").avatar_hue == hues[1]


# --- checks ------------------------------------------------------------------------


def test_zones_and_languages_are_read_as_the_databases_spell_them():
    assert profiles.time_zone("europe/paris") == "Europe/Paris"
    assert profiles.time_zone(" ") == ""
    assert profiles.languages(["French", "Deutsch", "pt_BR", "EN", "fr"]) == [
        "fr",
        "de",
        "pt-br",
        "en",
    ]


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "Europe/Paris\n", "UTC+2"])
def test_a_zone_outside_the_time_zone_database_is_refused(zone):
    with pytest.raises(Invalid) as refused:
        profiles.time_zone(zone)
    assert refused.value.field == "time_zone"


@pytest.mark.parametrize("language", ["Klingon", "xx", "en\r\nfr"])
def test_an_unknown_language_is_refused(language):
    with pytest.raises(Invalid) as refused:
        profiles.languages(["en", language])
    assert refused.value.field == "languages"


def test_at_most_ten_languages():
    many = ["en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "fi", "pl"]
    with pytest.raises(Invalid, match="at most 10"):
        profiles.languages(many)


# --- page --------------------------------------------------------------------------


def test_the_profile_page_is_in_the_account_menu_and_shows_initials(as_alice, alice):
    assert 'href="/settings/profile/"' in page(as_alice, "/dashboard/").html
    profile = page(as_alice, "/settings/profile/")
    assert f">{alice.initials}</text>" in profile.html
    assert f"hsl({alice.avatar_hue}, " in profile.html
    assert 'value="Alice"' in profile.html
    assert "Upload photo" in profile.words
    assert 'enctype="multipart/form-data"' in profile.html
    assert_no_inline_code(profile.response)


def test_signed_out_people_are_sent_to_log_in(db):
    response = Client().get("/settings/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_saving_the_profile_keeps_each_field_and_records_it(as_alice, alice):
    response = as_alice.post(
        "/settings/profile/",
        {"name": "Alice Moreau", "time_zone": "europe/paris", "languages": "French, en"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.name, alice.time_zone, alice.languages) == (
        "Alice Moreau",
        "Europe/Paris",
        ["fr", "en"],
    )
    event = AuditEvent.objects.get(code="account.profile.updated")
    assert event.data == {"fields": ["name", "time_zone", "languages"]}
    assert "French, English" in page(as_alice, "/settings/profile/").words


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus", "is not a time zone"),
        ("languages", "en, Klingon", "is not a language we know"),
        ("name", "   ", "Enter your name"),
    ],
)
def test_a_bad_field_is_refused_under_that_field_and_nothing_is_saved(
    as_alice, alice, field, value, message
):
    data = {"name": "Alice Moreau", "time_zone": "Europe/Paris", "languages": "fr", field: value}
    response = as_alice.post("/settings/profile/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    alice.refresh_from_db()
    assert (alice.name, alice.time_zone, alice.languages) == ("Alice", "", [])
    assert not AuditEvent.objects.filter(code="account.profile.updated").exists()


# --- API ---------------------------------------------------------------------------


def _patch(client: Client, body: dict[str, object], headers: dict[str, str] | None = None):
    return client.patch(
        "/api/v1/me/profile", json.dumps(body), content_type="application/json", headers=headers
    )


def test_the_api_reads_and_changes_the_profile(as_alice, alice):
    assert as_alice.get("/api/v1/me/profile").json() == {
        "name": "Alice",
        "email": "alice@acme.test",
        "time_zone": "",
        "languages": [],
        "initials": "A",
        "photo_url": None,
    }
    response = _patch(as_alice, {"time_zone": "Asia/Tokyo", "languages": ["ja", "English"]})
    assert response.status_code == 200
    assert response.json()["languages"] == ["ja", "en"]
    alice.refresh_from_db()
    assert (alice.name, alice.time_zone) == ("Alice", "Asia/Tokyo")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Alice M", "time_zone": "Nowhere/Land"}, "time_zone"),
        ({"name": "Alice M", "languages": ["en", "Elvish"]}, "languages"),
        ({"name": "Alice\nM", "languages": ["en"]}, "name"),
    ],
)
def test_the_api_refuses_a_bad_field_by_name_and_changes_nothing(as_alice, alice, body, field):
    response = _patch(as_alice, body)
    assert response.status_code == 422
    assert field in json.dumps(response.json())
    alice.refresh_from_db()
    assert (alice.name, alice.time_zone, alice.languages) == ("Alice", "", [])


def test_a_read_only_token_cannot_change_the_profile(alice):
    _token, raw = create_api_token(user=alice, name="ro", scope="read", days=7)
    auth = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/v1/me/profile", headers=auth).status_code == 200
    assert _patch(Client(), {"name": "Mallory"}, auth).status_code == 403
    alice.refresh_from_db()
    assert alice.name == "Alice"


def test_a_person_without_a_name_reads_as_their_address(db):
    user = make_user("newbie@acme.test")
    assert str(user) == user.display_name == "newbie@acme.test"


# --- time zone ---------------------------------------------------------------------


def _zone_seen(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    seen = personal_time_zone(lambda _r: HttpResponse(timezone.get_current_timezone_name()))
    return seen(request).content.decode()


def test_pages_are_rendered_in_the_persons_time_zone(alice):
    alice.time_zone = "Asia/Tokyo"
    assert _zone_seen(alice) == "Asia/Tokyo"
    assert timezone.get_current_timezone_name() == "UTC"  # not left behind for the next request


def test_without_a_time_zone_pages_use_the_sites(alice):
    assert _zone_seen(alice) == "UTC"
    assert _zone_seen(AnonymousUser()) == "UTC"
    alice.time_zone = "Gone/Zone"
    assert _zone_seen(alice) == "UTC"
