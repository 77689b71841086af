"""The evidence pages: my log and someone else's, an entry with its confirmations, the
new and edit forms with their step pickers, deleting, confirming, asking to confirm
and answering as a collaborator; every route 404 for another organization."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import cast

import pytest
from django.http import HttpResponse
from django.utils import timezone

from upward.assessments.models import Signal
from upward.core.tests.pages import assert_no_inline_code, text
from upward.core.visibility import Tier
from upward.evidence.models import Collaborator, CollaboratorStatus, Confirmation, Entry
from upward.evidence.services.entries import confirm_entry
from upward.evidence.tests.factories import EntryFactory, placed
from upward.notifications.models import Notification
from upward.roadmaps import services as roadmaps
from upward.roadmaps.tests.factories import ObjectiveFactory
from upward.testing import client_for, page

TODAY = timezone.localdate()


@pytest.fixture
def entry(placement, sam):
    return EntryFactory.create(
        placement=placement,
        title="Moved the export to the new queue",
        impact="The nightly export **finishes** before finance starts.",
        body="Ran it with <script>alert(1)</script> care.",
        metric="Export time",
        metric_before="4 h",
        metric_after="40 min",
        links=[{"url": "https://git.example.com/pr/1", "label": "The pull request"}],
        collaborators=[sam],
    )


def form_data(**changes):
    data = {
        "title": "Ran the incident review",
        "happened_on": (TODAY - timedelta(days=2)).isoformat(),
        "impact": "Three follow-ups shipped.",
        "body": "",
        "scope": "team",
        "metric": "",
        "metric_before": "",
        "metric_after": "",
        "links": "https://docs.example.com/review Review notes",
        "vouchers": "Priya, SRE lead",
        "objective": "",
        "collaborators": "",
        "visibility": "manager",
        "step__shipping": "l2",
        "step__reviews": "",
    }
    data.update(changes)
    return data


# --- Logs ---------------------------------------------------------------------------------------


def test_my_log_lists_my_entries_newest_first_with_chips_and_impact(placement, alice, entry):
    EntryFactory.create(
        placement=placement, title="An older one", happened_on=TODAY - timedelta(days=90)
    )
    shown = page(alice, "/evidence/")
    assert shown.words.index("Moved the export") < shown.words.index("An older one")
    assert "Shipping · L2" in shown.words
    assert "The nightly export finishes before finance starts." in shown.words
    assert "Export time 4 h → to 40 min" in shown.words
    assert "Not confirmed yet" in shown.words
    assert_no_inline_code(shown.response)


def test_a_confirmed_entry_is_marked_on_the_log(entry, alice, bob):
    confirm_entry(entry=entry, by=bob, relation="manager", steps={"shipping": "l2"})
    shown = page(alice, "/evidence/")
    assert "Confirmed by Bob" in shown.words
    assert 'class="is-confirmed"' in shown.html


def test_an_empty_log_invites_the_first_entry(placement, alice):
    shown = page(alice, "/evidence/")
    assert "No evidence yet" in shown.words
    assert "/evidence/new/" in shown.html


def test_someone_elses_log_shows_only_what_they_share(placement, alice, bob, sam):
    EntryFactory.create(
        placement=placement, title="Shared with my manager", visibility=Tier.MANAGER
    )
    EntryFactory.create(
        placement=placement, title="For everyone here", visibility=Tier.ORGANIZATION
    )
    EntryFactory.create(placement=placement, title="Just mine", visibility=Tier.PRIVATE)
    as_bob = page(bob, f"/people/{alice.pk}/evidence/").words
    assert "Shared with my manager" in as_bob
    assert "For everyone here" in as_bob
    assert "Just mine" not in as_bob
    as_sam = page(sam, f"/people/{alice.pk}/evidence/").words
    assert "For everyone here" in as_sam
    assert "Shared with my manager" not in as_sam


def test_my_own_person_log_is_my_log(placement, alice):
    response = client_for(alice).get(f"/people/{alice.pk}/evidence/")
    assert response.status_code == 302
    assert response["Location"] == "/evidence/"


def test_the_nav_links_to_the_log(placement, alice):
    assert 'href="/evidence/"' in page(alice, "/roadmap/").html


# --- One entry ---------------------------------------------------------------------------------


def test_the_entry_page_renders_markdown_safely_with_metric_links_and_collaborators(entry, alice):
    shown = page(alice, f"/evidence/{entry.pk}/")
    assert "<strong>finishes</strong>" in shown.html
    assert "<script>alert(1)</script>" not in cast(HttpResponse, shown.response).content.decode()
    assert "Export time 4 h → to 40 min" in shown.words
    assert 'href="https://git.example.com/pr/1"' in shown.html
    assert "Sam Asked" in shown.words
    assert "Ask for a confirmation" in shown.words
    assert "Confirm it" not in shown.words
    assert_no_inline_code(shown.response)


def test_the_manager_sees_a_confirm_form_with_the_relation_suggested(entry, bob):
    shown = page(bob, f"/evidence/{entry.pk}/")
    assert "Confirm it" in shown.words
    assert re.search(r'<input[^>]*value="manager"[^>]*checked', shown.html)
    assert "Ask for a confirmation" not in shown.words
    assert "/edit/" not in shown.html


def test_confirming_records_it_and_replaces_the_form_with_a_withdraw_button(entry, bob):
    client = client_for(bob)
    response = client.post(
        f"/evidence/{entry.pk}/confirm/",
        {"confirm-relation": "manager", "confirm-step__shipping": "l3", "confirm-note": "Saw it."},
    )
    assert response.status_code == 302
    confirmation = Confirmation.objects.get(entry=entry, by=bob)
    assert confirmation.steps == {"shipping": "l3"}
    shown = page(client, f"/evidence/{entry.pk}/")
    assert "Withdraw my confirmation" in shown.words
    assert "Bob as manager" in shown.words
    client.post(f"/evidence/{entry.pk}/confirmations/{confirmation.pk}/withdraw/")
    assert not Confirmation.objects.exists()


def test_a_bad_step_in_a_confirmation_is_shown_on_its_field(entry, bob):
    response = client_for(bob).post(
        f"/evidence/{entry.pk}/confirm/",
        {"confirm-relation": "manager", "confirm-step__shipping": ""},
    )
    assert response.status_code == 422
    assert "at least one competency" in text(response)
    assert not Confirmation.objects.exists()


def test_the_owner_asks_a_colleague_to_confirm(entry, alice, bob):
    response = client_for(alice).post(
        f"/evidence/{entry.pk}/request/", {"ask-people": "bob@acme.test", "ask-message": "Thanks"}
    )
    assert response.status_code == 302
    assert Notification.objects.filter(
        recipient=bob, kind="evidence.confirmation_requested"
    ).exists()


def test_asking_someone_who_cannot_see_it_says_so_on_the_field(entry, alice, sam, eve):
    client = client_for(alice)
    response = client.post(f"/evidence/{entry.pk}/request/", {"ask-people": "eve@globex.test"})
    assert response.status_code == 422
    assert "nobody in this organization" in text(response)
    Collaborator.objects.filter(user=sam).delete()
    response = client.post(f"/evidence/{entry.pk}/request/", {"ask-people": "sam@acme.test"})
    assert response.status_code == 422
    assert "can't see this entry" in text(response)


def test_a_collaborator_reads_the_entry_and_declines_being_named(entry, sam, alice):
    client = client_for(sam)
    assert "You are named on it" in page(client, f"/evidence/{entry.pk}/").words
    client.post(f"/evidence/{entry.pk}/collaborate/", {"answer": "decline"})
    assert Collaborator.objects.get(user=sam).status == CollaboratorStatus.DECLINED
    assert "Sam" not in page(alice, "/evidence/").words.replace("Same", "")
    assert "Sam Declined" in page(alice, f"/evidence/{entry.pk}/").words


# --- New, edit, delete ---------------------------------------------------------------------------


def test_the_new_form_lists_a_step_picker_per_competency(placement, alice):
    shown = page(alice, "/evidence/new/")
    assert 'name="step__shipping"' in shown.html
    assert 'name="step__reviews"' in shown.html
    assert_no_inline_code(shown.response)


def test_logging_an_entry_writes_it_with_its_signals(placement, alice, sam):
    response = client_for(alice).post(
        "/evidence/new/", form_data(collaborators="sam@acme.test", step__reviews="l3")
    )
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/evidence/{entry.pk}/"
    assert entry.competencies == [
        {"competency": "shipping", "step": "l2"},
        {"competency": "reviews", "step": "l3"},
    ]
    assert entry.links == [{"url": "https://docs.example.com/review", "label": "Review notes"}]
    assert Signal.objects.filter(source_key=f"evidence:{entry.pk}").count() == 2
    assert Collaborator.objects.filter(entry=entry, user=sam).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"step__shipping": ""}, None, "at least one competency"),
        ({"happened_on": (TODAY + timedelta(days=3)).isoformat()}, "happened_on", "still to come"),
        ({"links": "javascript:alert(1) x"}, "links", "http://"),
        ({"title": " "}, "title", "required"),
        ({"collaborators": "eve@globex.test"}, "collaborators", "nobody in this organization"),
    ],
)
def test_bad_input_re_renders_the_form_naming_the_problem(
    placement, alice, eve, changes, field, message
):
    response = client_for(alice).post("/evidence/new/", form_data(**changes))
    assert response.status_code == 422
    assert message in text(response)
    assert not Entry.objects.exists()


def test_the_form_prefills_from_an_objective(placement, alice):
    objective = ObjectiveFactory.create(
        placement=placement, competencies=["reviews"], target_step="l3"
    )
    roadmaps.complete_objective(objective=objective, by=alice, link="https://x.example/done")
    shown = page(alice, f"/evidence/new/?objective={objective.pk}")
    assert '<option value="l3" selected>' in shown.html
    assert f'<option value="{objective.pk}" selected>' in shown.html
    assert "https://x.example/done" in shown.html


def test_another_persons_objective_cannot_prefill_the_form(placement, acme, ladder, bob, alice):
    bobs = ObjectiveFactory.create(
        placement=placed(bob, acme, ladder), visibility=Tier.ORGANIZATION
    )
    page(alice, f"/evidence/new/?objective={bobs.pk}", status=404)


def test_the_owner_edits_an_entry(entry, alice):
    shown = page(alice, f"/evidence/{entry.pk}/edit/")
    assert 'value="Moved the export to the new queue"' in shown.html
    response = client_for(alice).post(
        f"/evidence/{entry.pk}/edit/",
        form_data(title="Moved it, better", collaborators="sam@acme.test"),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Moved it, better"


def test_deleting_asks_first_then_deletes(entry, alice):
    assert "Delete this entry?" in page(alice, f"/evidence/{entry.pk}/delete/").words
    response = client_for(alice).post(f"/evidence/{entry.pk}/delete/")
    assert response.status_code == 302
    assert not Entry.objects.exists()
    assert not Signal.objects.exists()


def test_the_manager_cannot_edit_or_delete(entry, bob):
    page(bob, f"/evidence/{entry.pk}/edit/", status=404)
    page(bob, f"/evidence/{entry.pk}/delete/", status=404)
    assert client_for(bob).post(f"/evidence/{entry.pk}/delete/").status_code == 404


# --- Other organizations and missing entries ------------------------------------------------------


def test_another_organization_gets_404_from_every_route(entry, alice, eve):
    client = client_for(eve)
    for suffix in ("", "edit/", "delete/", "confirm/", "request/", "collaborate/"):
        assert client.get(f"/evidence/{entry.pk}/{suffix}").status_code == 404, suffix
        assert client.post(f"/evidence/{entry.pk}/{suffix}").status_code == 404, suffix
    assert client.get(f"/people/{alice.pk}/evidence/").status_code == 404


def test_a_missing_entry_is_404(placement, alice):
    page(alice, "/evidence/999999/", status=404)


def test_a_private_entry_is_404_for_the_manager(placement, bob):
    private = EntryFactory.create(placement=placement, visibility=Tier.PRIVATE)
    page(bob, f"/evidence/{private.pk}/", status=404)


# --- The roadmap link -----------------------------------------------------------------------------


def test_a_done_objective_offers_to_log_evidence_and_lists_its_entries(placement, alice, bob):
    objective = ObjectiveFactory.create(placement=placement, visibility=Tier.MANAGER)
    roadmaps.complete_objective(objective=objective, by=alice, note="Shipped")
    EntryFactory.create(placement=placement, objective=objective, title="The release itself")
    shown = page(alice, f"/roadmap/objectives/{objective.pk}/")
    assert f"/evidence/new/?objective={objective.pk}" in shown.html
    assert "The release itself" in shown.words
    assert "The release itself" in page(bob, f"/roadmap/objectives/{objective.pk}/").words


def test_the_log_page_takes_the_same_queries_however_many_entries(
    placement, alice, bob, sam, django_assert_num_queries
):
    for n in range(3):
        made = EntryFactory.create(placement=placement, title=f"Entry {n}", collaborators=[sam])
        confirm_entry(entry=made, by=bob, relation="manager", steps={"shipping": "l2"})
    client = client_for(alice)
    client.get("/evidence/")  # warm the framework document cache
    # 1 session, 2 user, 3 membership (the current organization), 4 entries (with owner,
    # placement, version, objective), 5 confirmations (with who gave them),
    # 6 collaborators (with their accounts), 7 active placement (the "Log evidence"
    # button), 8 memberships (the organization switcher), 9 unread notifications
    with django_assert_num_queries(9):
        client.get("/evidence/")
    for n in range(3):
        EntryFactory.create(placement=placement, title=f"More {n}")
    with django_assert_num_queries(9):
        client.get("/evidence/")
