"""Deleting an account: the person's own data goes, everywhere; what others rely on stays,
anonymised, and still counts; the audit log records the erasure without the erased data."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone

from upward.accounts.models import Membership, Organization, Role
from upward.accounts.tests.factories import MembershipFactory
from upward.assessments.models import FeedbackRequest, FeedbackResponse, Signal
from upward.assessments.selectors import delta_for
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid
from upward.core.models import AuditEvent
from upward.evidence.models import (
    Collaborator,
    Confirmation,
    Packet,
    Post,
    Reaction,
    ShareLink,
    ShareOpen,
)
from upward.evidence.services.record import delete_account
from upward.evidence.tests.test_record_export import World, build_world
from upward.notifications.models import Notification
from upward.testing import client_for, make_user

TEXT = (models.CharField, models.TextField, models.JSONField, models.EmailField)


@pytest.fixture
def world(acme, ada, alice, bob, maya, django_capture_on_commit_callbacks) -> World:
    return build_world(acme, ada, alice, bob, maya, django_capture_on_commit_callbacks)


def traces_of(name: str, email: str, user_id: int) -> list[str]:
    """Every place in the database that still names the person or points at their row:
    every text and JSON column of every model, and every foreign key to the user model."""
    found = []
    User = get_user_model()
    needles = [name.lower(), email.lower()]
    for model in apps.get_models():
        text = [f for f in model._meta.concrete_fields if isinstance(f, TEXT)]
        links = [
            f for f in model._meta.concrete_fields if f.is_relation and f.related_model is User
        ]
        if model is User:
            if User.objects.filter(pk=user_id).exists():
                found.append(f"{model._meta.label} row {user_id}")
            continue
        for f in links:
            if model._default_manager.filter(**{f.attname: user_id}).exists():
                found.append(f"{model._meta.label}.{f.name} -> {user_id}")
        for row in model._default_manager.all():
            for f in text:
                value = getattr(row, f.attname)
                value = (
                    json.dumps(value, ensure_ascii=False)
                    if f.get_internal_type() == "JSONField"
                    else str(value)
                )
                if any(n in value.lower() for n in needles):
                    found.append(f"{model._meta.label}.{f.name} of {row.pk}: {value[:80]}")
    return found


def leave_traces_everywhere(world: Any, acme: Any, ada: Any) -> None:
    """What a working life in Upward leaves around a person besides their own rows."""
    from upward.accounts import services as accounts
    from upward.assessments import services as assessments
    from upward.roadmaps import services as roadmaps
    from upward.roadmaps.services import StakeholderIn

    alice, bob = world.alice, world.bob
    client_for(alice)  # a session of hers, to be ended
    audit.record(alice, AuditCode.ACCOUNT_PROFILE_UPDATED, actor=alice)
    membership = Membership.objects.get(user=alice, organization=acme)
    accounts.change_role(membership=membership, role=Role.MENTOR, by=ada)
    team = accounts.create_team(organization=acme, name="Billing", manager=alice, by=ada)
    accounts.add_team_member(team=team, user=bob, by=ada)
    accounts.create_api_token(user=alice, name="laptop", scope="read", days=30)
    roadmaps.create_calendar_feed(user=alice)
    bobs = bob.placements.get(is_active=True)
    assessments.request_feedback(
        placement=bobs, relationship="peer", competencies=["shipping"], rater=alice
    )
    roadmaps.create_objective(
        owner=bob,
        placement=bobs,
        title="Run the migration review with the Payments team and publish the notes by May",
        competencies=["shipping"],
        stakeholders=[StakeholderIn(name="Alice", user_id=alice.pk)],
    )
    Notification.objects.create(
        recipient=bob, kind="x", title="Alice answered", body="From alice@acme.test"
    )
    bobs_post = Post.objects.get(body="Migrating")
    Reaction.objects.create(post=bobs_post, user=alice, kind="applause")
    bobs_entry = Confirmation.objects.get(by=alice).entry
    Collaborator.objects.create(entry=bobs_entry, user=alice)
    packet = Packet.objects.create(owner=bob, organization=acme, placement=bobs, title="Bob's")
    link = ShareLink.objects.create(
        packet=packet, token_hash="0" * 64, expires_at=timezone.now() + timedelta(days=3)
    )
    ShareOpen.objects.create(link=link, viewer=alice)
    _mentoring_traces(alice, bob, acme, ada)


def _mentoring_traces(alice: Any, bob: Any, acme: Any, ada: Any) -> None:
    """Alice mentors Bob (a room with messages, an item she owns, a session she booked),
    verified Maya's offer, and is paired in a programme."""
    from upward.mentorship import services as mentorship
    from upward.mentorship.models import Offer, Pair

    profile = mentorship.save_profile(
        user=alice, organization=acme, bio="Alice mentors shipping", offers=[]
    )
    room = mentorship.open_room(
        mentor=alice, mentee=bob, organization=acme, cadence="weekly", profile=profile
    )
    mentorship.post_message(room=room, by=bob, body="Thanks, Alice!")
    mentorship.add_action_item(
        room=room,
        by=bob,
        title="Alice sends the checklist",
        owner=alice,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    mentorship.schedule_session(room=room, by=alice, starts_at=timezone.now() + timedelta(days=1))
    programme = mentorship.open_programme(
        organization=acme,
        by=ada,
        name="Spring",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=30),
    )
    Pair.objects.create(programme=programme, mentee=bob, mentor=alice, score=1)
    bobs_profile = mentorship.save_profile(user=bob, organization=acme, offers=[])
    Offer.objects.create(
        profile=bobs_profile,
        competency="shipping",
        step="l1",
        verified_by=alice,
        verified_basis="Seen at the spring release",
        verified_at=timezone.now(),
    )


def test_deletion_leaves_no_trace_of_the_person_in_any_table(world, acme, ada, client):
    leave_traces_everywhere(world, acme, ada)
    user_id = world.alice.pk
    assert traces_of("Alice", "alice@acme.test", user_id)
    delete_account(user=world.alice, by=world.alice, email="ALICE@acme.test ")
    assert traces_of("Alice", "alice@acme.test", user_id) == []
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(user_id) for s in Session.objects.all()
    )


def test_ratings_she_gave_stay_anonymised_and_still_count_as_one_voice(world):
    bob = world.bob
    given = Signal.objects.filter(subject=bob, rater=world.alice)
    kept = {s.pk: s.comment for s in given}
    delete_account(user=world.alice, by=world.alice, email="alice@acme.test")
    rows = Signal.objects.filter(pk__in=kept)
    assert {s.pk: s.comment for s in rows} == kept  # her comments stay for Bob
    keys = {s.source_key for s in rows}
    assert len(keys) == 1
    assert keys.pop().startswith("erased:")
    assert all(s.rater_id is None for s in rows)
    placement = bob.placements.get(is_active=True)
    shipping = delta_for(placement).competency("shipping")
    # Bob's claim and her (former) rating and confirmation: one claim plus one voice.
    assert len({s.rater for s in shipping.counted}) == 2


def test_her_answers_confirmations_and_replies_stay_detached(world):
    delete_account(user=world.alice, by=world.alice, email="alice@acme.test")
    answer = FeedbackResponse.objects.get(subject=world.bob)
    assert answer.consistent_at == "Bob leads"
    assert answer.request is not None
    assert answer.request.rater is None
    assert answer.request.rater_email == "former-member@erased.invalid"
    confirmation = Confirmation.objects.get(entry__owner=world.bob)
    assert confirmation.by is None
    assert confirmation.note == "Great work"
    reply = Post.objects.get(body="Cheering you on")
    assert reply.author is None


def test_her_own_data_goes(world):
    alice = world.alice
    delete_account(user=alice, by=alice, email="alice@acme.test")
    assert not Signal.objects.filter(subject_id=alice.pk).exists()
    assert not FeedbackRequest.objects.filter(requester_id=alice.pk).exists()
    assert not Membership.objects.filter(user_id=alice.pk).exists()
    # Replies others wrote on her thread went with it.
    assert not Post.objects.filter(body="Try reference classes").exists()


def test_a_waiting_request_to_her_lapses_without_a_reminder(world):
    from upward.assessments import services as assessments

    bobs = world.bob.placements.get(is_active=True)
    waiting = assessments.request_feedback(
        placement=bobs, relationship="peer", competencies=["shipping"], rater=world.alice
    )
    delete_account(user=world.alice, by=world.alice, email="alice@acme.test")
    waiting.refresh_from_db()
    assert waiting.reminded_at is not None
    assert assessments.remind_pending() == 0


def test_the_erasure_is_audited_without_the_erased_data(world):
    user_id = world.alice.pk
    delete_account(user=world.alice, by=world.alice, email="alice@acme.test")
    event = AuditEvent.objects.get(code="evidence.account.erased")
    assert (event.actor_id, event.actor_label) == (None, "")
    assert (event.target_id, event.target_label) == ("", "")
    assert str(user_id) not in json.dumps(event.data)
    assert event.data["ratings"] == 2


def test_the_typed_address_must_match(world):
    with pytest.raises(Invalid) as caught:
        delete_account(user=world.alice, by=world.alice, email="bob@acme.test")
    assert caught.value.field == "email"


def test_nobody_deletes_someone_else(world):
    with pytest.raises(Invalid):
        delete_account(user=world.alice, by=world.bob, email="alice@acme.test")


def test_the_last_admin_of_an_organization_with_others_is_refused(acme, ada, alice):
    before = AuditEvent.objects.count()
    with pytest.raises(Conflict) as caught:
        delete_account(user=ada, by=ada, email="ada@acme.test")
    assert caught.value.field == "organizations"
    assert "Acme" in caught.value.message
    assert AuditEvent.objects.count() == before


def test_an_admin_with_another_admin_beside_them_may_go(acme, ada, alice):
    Membership.objects.filter(user=alice, organization=acme).update(role=Role.ADMIN)
    delete_account(user=ada, by=ada, email="ada@acme.test")
    assert not get_user_model().objects.filter(email="ada@acme.test").exists()


def test_an_organization_only_she_belongs_to_goes_with_her(db):
    solo = make_user("solo@example.test", "Solo")
    org = Organization.objects.create(name="Solo Inc", slug="solo-inc")
    MembershipFactory(organization=org, user=solo, role=Role.ADMIN)
    delete_account(user=solo, by=solo, email="solo@example.test")
    assert not Organization.objects.filter(pk=org.pk).exists()


# Page and API --------------------------------------------------------------------------


def test_the_page_deletes_the_account_and_signs_out(world):
    client = client_for(world.alice)
    response = client.post("/account/data/delete/", {"email": "alice@acme.test"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(email="alice@acme.test").exists()
    assert client.get("/account/data/").status_code == 302  # signed out


def test_the_page_refuses_a_wrong_address_in_place(world):
    response = client_for(world.alice).post("/account/data/delete/", {"email": "nope@x.test"})
    assert response.status_code == 422
    assert "Type your email address exactly" in response.content.decode()


def test_the_api_deletes_the_account_with_the_address_in_the_body(world):
    client = client_for(world.alice)
    response = client.delete(
        "/api/v1/me/account", data={"email": "alice@acme.test"}, content_type="application/json"
    )
    assert response.status_code == 204, response.content
    assert not get_user_model().objects.filter(email="alice@acme.test").exists()


def test_the_api_refuses_the_last_admin_naming_the_organizations(acme, ada, alice):
    response = client_for(ada).delete(
        "/api/v1/me/account", data={"email": "ada@acme.test"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["fields"][0]["path"] == "body.organizations"


def test_an_access_token_cannot_delete_the_account(world):
    from django.test import Client

    from upward.accounts.services import create_api_token

    _token, raw = create_api_token(user=world.alice, name="ci", scope="write", days=1)
    response = Client().delete(
        "/api/v1/me/account",
        data={"email": "alice@acme.test"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403
    assert get_user_model().objects.filter(email="alice@acme.test").exists()


def test_in_others_records_she_becomes_a_former_member(world):
    from upward.evidence.selectors.record import export_record

    delete_account(user=world.alice, by=world.alice, email="alice@acme.test")
    record = export_record(world.bob)
    assert [a["from"] for a in record["feedback"]["received"]] == ["A former member"]
    assert {s["rater"] for s in record["ratings_received"] if s["source"] == "peer"} == {
        "A former member"
    }
    [entry] = record["evidence"]
    assert [c["by"] for c in entry["confirmations"]] == ["A former member"]
    [thread] = record["threads"]
    assert [p["author"] for p in thread["posts"]] == ["you", "A former member"]


def test_the_former_address_is_told_and_nothing_of_the_message_is_kept(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=world.alice, by=world.alice, email="alice@acme.test")
    [message] = [m for m in mailoutbox if "account is deleted" in m.subject]
    assert message.to == ["alice@acme.test"]
    assert "ratings you gave: 2" in message.body
    assert not Notification.objects.filter(kind="evidence.account_deleted").exists()
