"""Entries, confirmations and collaborators: what the services write, the signals that
follow, and every bad input refused with its field named and nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from upward.accounts.models import Role
from upward.accounts.relationships import register_provider, unregister_provider
from upward.accounts.tests.factories import MembershipFactory
from upward.assessments.models import Signal, Source
from upward.core.errors import Conflict, Invalid, NotFound
from upward.core.models import AuditEvent
from upward.core.visibility import Relationship, Tier
from upward.evidence.models import (
    Collaborator,
    CollaboratorStatus,
    Confirmation,
    Entry,
    EntrySignal,
)
from upward.evidence.services.entries import (
    answer_collaboration,
    confirm_entry,
    create_entry,
    delete_entry,
    request_confirmation,
    update_entry,
    withdraw_confirmation,
)
from upward.evidence.tests.factories import EntryFactory, placed
from upward.notifications.models import Notification
from upward.roadmaps.models import Status
from upward.roadmaps.tests.factories import ObjectiveFactory
from upward.testing import make_user

TODAY = timezone.localdate()
BOTH = [{"competency": "shipping", "step": "l2"}, {"competency": "reviews", "step": "l1"}]


@pytest.fixture
def mentoring(maya):
    def provider(viewer, subject_ids, organization):
        return subject_ids if viewer.pk == maya.pk else set()

    register_provider(Relationship.MENTOR, provider)
    yield
    unregister_provider(Relationship.MENTOR, provider)


def entry_of(placement, **changes):
    return EntryFactory.create(placement=placement, **changes)


def written_nothing():
    return (
        Entry.objects.count() == 0
        and Signal.objects.count() == 0
        and EntrySignal.objects.count() == 0
        and Collaborator.objects.count() == 0
    )


def claims(entry):
    return list(
        Signal.objects.filter(source_key=f"evidence:{entry.pk}")
        .order_by("competency")
        .values(
            "competency", "step", "source", "rater_id", "observed_on", "version_id", "subject_id"
        )
    )


# --- Creating ---------------------------------------------------------------------------------


def test_an_entry_writes_one_claim_signal_per_competency(placement, alice):
    day = TODAY - timedelta(days=10)
    entry = entry_of(placement, competencies=BOTH, happened_on=day)
    assert claims(entry) == [
        {
            "competency": c,
            "step": s,
            "source": Source.EVIDENCE,
            "rater_id": alice.pk,
            "observed_on": day,
            "version_id": placement.version_id,
            "subject_id": alice.pk,
        }
        for c, s in [("reviews", "l1"), ("shipping", "l2")]
    ]
    assert EntrySignal.objects.filter(entry=entry, confirmation=None).count() == 2
    assert entry.organization_id == placement.organization_id
    assert AuditEvent.objects.filter(code="evidence.entry.created").count() == 1


def test_an_entry_keeps_its_impact_metric_links_and_vouchers(placement):
    entry = entry_of(
        placement,
        scope=" team ",
        metric="Nightly export time",
        metric_before="4 h",
        metric_after="40 min",
        links=[{"url": "https://git.example.com/pr/1", "label": "The pull request"}],
        vouchers=["Priya, Payments lead", " "],
    )
    entry.refresh_from_db()
    assert entry.scope == "team"
    assert (entry.metric_before, entry.metric_after) == ("4 h", "40 min")
    assert entry.links == [{"url": "https://git.example.com/pr/1", "label": "The pull request"}]
    assert entry.vouchers == ["Priya, Payments lead"]


def test_a_level_key_is_read_as_the_step_it_stands_for(placement):
    entry = entry_of(placement, competencies=[{"competency": "shipping", "step": " l3 "}])
    assert entry.competencies == [{"competency": "shipping", "step": "l3"}]


def test_naming_collaborators_tells_them(placement, sam):
    entry = entry_of(placement, collaborators=[sam])
    row = Collaborator.objects.get(entry=entry)
    assert (row.user, row.status) == (sam, CollaboratorStatus.PENDING)
    assert Notification.objects.filter(recipient=sam, kind="evidence.collaborator_named").exists()


def test_an_entry_may_name_an_open_or_done_objective_without_changing_it(placement):
    objective = ObjectiveFactory.create(placement=placement)
    entry = entry_of(placement, objective=objective)
    objective.refresh_from_db()
    assert entry.objective == objective
    assert objective.status == Status.PLANNED
    assert objective.completion_link == ""


BAD_INPUT = [
    ({"title": "  "}, "title"),
    ({"title": "two\nlines"}, "title"),
    ({"competencies": []}, "competencies"),
    ({"competencies": [{"competency": "cooking", "step": "l1"}]}, "competencies[0].competency"),
    (
        {
            "competencies": [
                {"competency": "shipping", "step": "l2"},
                {"competency": "x", "step": "l1"},
            ]
        },
        "competencies[1].competency",
    ),
    ({"competencies": [{"competency": "shipping", "step": "l9"}]}, "competencies[0].step"),
    (
        {"competencies": [{"competency": "shipping", "step": "l2"}] * 2},
        "competencies[1].competency",
    ),
    ({"happened_on": TODAY + timedelta(days=1)}, "happened_on"),
    ({"links": [{"url": "javascript:alert(1)", "label": "x"}]}, "links[0].url"),
    (
        {"links": [{"url": "https://ok.example", "label": ""}, {"url": "ftp://x", "label": ""}]},
        "links[1].url",
    ),
    ({"links": [{"url": "mailto:a@b.c", "label": ""}]}, "links[0].url"),
    ({"links": [{"url": "/relative", "label": ""}]}, "links[0].url"),
    ({"visibility": "everyone"}, "visibility"),
    ({"metric_before": "x" * 101}, "metric_before"),
    ({"body": "x" * 20_001}, "body"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_INPUT)
def test_bad_input_names_its_field_and_writes_nothing(placement, changes, field):
    with pytest.raises(Invalid) as raised:
        entry_of(placement, **changes)
    assert raised.value.field == field
    assert written_nothing()


def test_another_persons_objective_is_refused(placement, acme, bob, ladder):
    bobs = ObjectiveFactory.create(placement=placed(bob, acme, ladder))
    with pytest.raises(Invalid) as raised:
        entry_of(placement, objective=bobs)
    assert raised.value.field == "objective"
    assert written_nothing()


def test_a_dropped_objective_is_refused(placement, alice):
    from upward.roadmaps.services import drop_objective

    objective = ObjectiveFactory.create(placement=placement)
    drop_objective(objective=objective, by=alice, reason="Priorities changed")
    with pytest.raises(Invalid) as raised:
        entry_of(placement, objective=objective)
    assert raised.value.field == "objective"


def test_an_entry_keeps_its_objective_after_the_objective_is_dropped(placement, alice):
    from upward.roadmaps.services import drop_objective

    objective = ObjectiveFactory.create(placement=placement)
    entry = entry_of(placement, objective=objective)
    drop_objective(objective=objective, by=alice, reason="Priorities changed")
    update_entry(entry=entry, by=alice, objective=objective, title="Still true")
    entry.refresh_from_db()
    assert (entry.objective, entry.title) == (objective, "Still true")


def test_collaborators_from_another_organization_or_the_owner_are_refused(placement, eve, alice):
    for people in ([eve], [alice]):
        with pytest.raises(Invalid) as raised:
            entry_of(placement, collaborators=people)
        assert raised.value.field == "collaborators"
    assert written_nothing()
    assert not Notification.objects.exists()


def test_someone_elses_placement_is_refused(placement, bob):
    with pytest.raises(Invalid) as raised:
        create_entry(
            owner=bob,
            placement=placement,
            title="Not mine",
            happened_on=TODAY,
            competencies=BOTH,
        )
    assert raised.value.field == "placement"
    assert written_nothing()


def test_a_post_is_promoted_at_most_once(placement):
    from upward.evidence.tests.factories import PostFactory

    post = PostFactory.create(thread__placement=placement)
    entry_of(placement, post=post)
    with pytest.raises(Conflict) as raised:
        entry_of(placement, post=post)
    assert raised.value.field == "post"
    assert Entry.objects.count() == 1


# --- Updating and deleting ------------------------------------------------------------------


def test_changing_the_competencies_rewrites_the_claims(placement, alice):
    entry = entry_of(placement)
    update_entry(entry=entry, by=alice, competencies=[{"competency": "reviews", "step": "l3"}])
    assert [(c["competency"], c["step"]) for c in claims(entry)] == [("reviews", "l3")]
    assert EntrySignal.objects.filter(entry=entry).count() == 1


def test_changing_the_date_moves_claims_and_confirmations(placement, alice, bob):
    entry = entry_of(placement)
    confirm_entry(entry=entry, by=bob, relation="manager", steps={"shipping": "l2"})
    day = TODAY - timedelta(days=40)
    update_entry(entry=entry, by=alice, happened_on=day)
    dates = set(Signal.objects.filter(subject=alice).values_list("observed_on", flat=True))
    assert dates == {day}
    assert Signal.objects.filter(source_key=f"user:{bob.pk}").count() == 1


def test_confirmations_keep_only_competencies_still_on_the_entry(placement, alice, bob, sam):
    entry = entry_of(placement, competencies=BOTH, visibility=Tier.ORGANIZATION)
    confirm_entry(
        entry=entry, by=bob, relation="manager", steps={"shipping": "l2", "reviews": "l2"}
    )
    confirm_entry(entry=entry, by=sam, relation="peer", steps={"reviews": "l1"})
    update_entry(entry=entry, by=alice, competencies=[{"competency": "shipping", "step": "l2"}])
    bobs = Confirmation.objects.get(by=bob)
    assert bobs.steps == {"shipping": "l2"}
    assert not Confirmation.objects.filter(by=sam).exists()
    rated = Signal.objects.exclude(source_key__startswith="evidence:")
    assert list(rated.values_list("competency", "rater_id")) == [("shipping", bob.pk)]


def test_an_update_that_changes_neither_competencies_nor_date_keeps_the_signals(placement, alice):
    entry = entry_of(placement)
    before = list(Signal.objects.values_list("pk", flat=True))
    update_entry(entry=entry, by=alice, title="A better title", impact="More impact")
    assert list(Signal.objects.values_list("pk", flat=True)) == before
    entry.refresh_from_db()
    assert entry.title == "A better title"


def test_a_bad_update_changes_nothing(placement, alice):
    entry = entry_of(placement)
    before = list(Signal.objects.values_list("pk", "step"))
    with pytest.raises(Invalid) as raised:
        update_entry(
            entry=entry,
            by=alice,
            title="Changed",
            competencies=[{"competency": "shipping", "step": "nope"}],
        )
    assert raised.value.field == "competencies[0].step"
    entry.refresh_from_db()
    assert entry.title != "Changed"
    assert list(Signal.objects.values_list("pk", "step")) == before


def test_an_unknown_field_is_refused(placement, alice):
    entry = entry_of(placement)
    with pytest.raises(Invalid) as raised:
        update_entry(entry=entry, by=alice, owner=alice)
    assert raised.value.field == "owner"


def test_only_the_owner_changes_or_deletes_an_entry(placement, bob):
    entry = entry_of(placement)
    with pytest.raises(NotFound):
        update_entry(entry=entry, by=bob, title="Mine now")
    with pytest.raises(NotFound):
        delete_entry(entry=entry, by=bob)


def test_replacing_collaborators_keeps_answers_and_tells_only_the_new(placement, alice, sam, bob):
    entry = entry_of(placement, collaborators=[sam])
    answer_collaboration(collaborator=Collaborator.objects.get(user=sam), by=sam, accept=True)
    update_entry(entry=entry, by=alice, collaborators=[sam, bob])
    rows = {c.user_id: c.status for c in Collaborator.objects.filter(entry=entry)}
    assert rows == {sam.pk: CollaboratorStatus.ACCEPTED, bob.pk: CollaboratorStatus.PENDING}
    assert Notification.objects.filter(kind="evidence.collaborator_named").count() == 2
    update_entry(entry=entry, by=alice, collaborators=[])
    assert not Collaborator.objects.filter(entry=entry).exists()


def test_deleting_an_entry_deletes_every_signal_it_wrote(placement, alice, bob):
    entry = entry_of(placement, competencies=BOTH)
    confirm_entry(entry=entry, by=bob, relation="manager", steps={"shipping": "l2"})
    assert Signal.objects.count() == 3
    delete_entry(entry=entry, by=alice)
    assert Signal.objects.count() == 0
    assert EntrySignal.objects.count() == 0
    assert AuditEvent.objects.filter(code="evidence.entry.deleted").count() == 1


# --- Confirmations --------------------------------------------------------------------------


def test_a_confirmation_writes_one_signal_per_stated_step(placement, alice, bob):
    entry = entry_of(placement, competencies=BOTH)
    confirmation = confirm_entry(
        entry=entry,
        by=bob,
        relation="manager",
        steps={"shipping": "l3", "reviews": ""},
        note="I reviewed the rollout plan.",
    )
    assert confirmation.steps == {"shipping": "l3"}
    signal = Signal.objects.get(evidence_link__confirmation=confirmation)
    assert (signal.source, signal.source_key, signal.rater, signal.step) == (
        Source.EVIDENCE,
        f"user:{bob.pk}",
        bob,
        "l3",
    )
    assert signal.observed_on == entry.happened_on
    assert Notification.objects.filter(recipient=alice, kind="evidence.entry_confirmed").exists()


def test_confirming_ones_own_entry_is_refused(placement, alice):
    entry = entry_of(placement)
    with pytest.raises(Invalid) as raised:
        confirm_entry(entry=entry, by=alice, relation="peer", steps={"shipping": "l2"})
    assert raised.value.field == "by"
    assert not Confirmation.objects.exists()


def test_confirming_twice_is_a_conflict(placement, bob):
    entry = entry_of(placement)
    confirm_entry(entry=entry, by=bob, relation="manager", steps={"shipping": "l2"})
    with pytest.raises(Conflict):
        confirm_entry(entry=entry, by=bob, relation="manager", steps={"shipping": "l3"})
    assert Confirmation.objects.count() == 1
    assert Signal.objects.filter(source_key=f"user:{bob.pk}").count() == 1


@pytest.mark.parametrize(
    ("steps", "relation", "field"),
    [
        ({"reviews": "l2"}, "manager", "steps"),
        ({"shipping": "l7"}, "manager", "steps.shipping"),
        ({}, "manager", "steps"),
        ({"shipping": " "}, "manager", "steps"),
        ({"shipping": "l2"}, "boss", "relation"),
    ],
)
def test_bad_confirmations_name_the_field_and_write_nothing(placement, bob, steps, relation, field):
    entry = entry_of(placement)
    with pytest.raises(Invalid) as raised:
        confirm_entry(entry=entry, by=bob, relation=relation, steps=steps)
    assert raised.value.field == field
    assert not Confirmation.objects.exists()
    assert Signal.objects.count() == 1


def test_someone_who_cannot_read_the_entry_cannot_confirm_it(placement, sam, eve):
    entry = entry_of(placement, visibility=Tier.MANAGER)
    for who in (sam, eve):
        with pytest.raises(NotFound):
            confirm_entry(entry=entry, by=who, relation="peer", steps={"shipping": "l2"})
    assert not Confirmation.objects.exists()


def test_a_named_collaborator_may_confirm_a_private_entry(placement, sam):
    entry = entry_of(placement, visibility=Tier.PRIVATE, collaborators=[sam])
    confirm_entry(entry=entry, by=sam, relation="collaborator", steps={"shipping": "l2"})
    assert Confirmation.objects.filter(by=sam).exists()


def test_withdrawing_a_confirmation_removes_its_signals(placement, bob, sam):
    entry = entry_of(placement)
    confirmation = confirm_entry(entry=entry, by=bob, relation="manager", steps={"shipping": "l2"})
    with pytest.raises(NotFound):
        withdraw_confirmation(confirmation=confirmation, by=sam)
    withdraw_confirmation(confirmation=confirmation, by=bob)
    assert not Confirmation.objects.exists()
    assert Signal.objects.count() == 1


# --- Requests and collaborators ---------------------------------------------------------------


def test_the_owner_asks_colleagues_who_may_read_it(placement, alice, bob, maya, mentoring):
    entry = entry_of(placement, visibility=Tier.MANAGER)
    asked = request_confirmation(entry=entry, by=alice, people=[bob, maya, bob], message="Thanks!")
    assert asked == [bob, maya]
    notes = Notification.objects.filter(kind="evidence.confirmation_requested")
    assert {n.recipient_id for n in notes} == {bob.pk, maya.pk}
    assert "Thanks!" in notes[0].body


@pytest.mark.parametrize("who", ["alice", "sam", "eve", "bob_again"])
def test_asking_someone_who_may_not_confirm_is_refused(placement, alice, bob, sam, eve, who):
    entry = entry_of(placement, visibility=Tier.MANAGER)
    confirm_entry(entry=entry, by=bob, relation="manager", steps={"shipping": "l2"})
    person = {"alice": alice, "sam": sam, "eve": eve, "bob_again": bob}[who]
    with pytest.raises(Invalid) as raised:
        request_confirmation(entry=entry, by=alice, people=[person])
    assert raised.value.field == "people[0]"
    assert not Notification.objects.filter(kind="evidence.confirmation_requested").exists()


def test_asking_nobody_is_refused(placement, alice):
    entry = entry_of(placement)
    with pytest.raises(Invalid) as raised:
        request_confirmation(entry=entry, by=alice, people=[])
    assert raised.value.field == "people"


def test_a_collaborator_accepts_or_declines_being_named(placement, sam, bob):
    entry_of(placement, collaborators=[sam])
    row = Collaborator.objects.get(user=sam)
    with pytest.raises(NotFound):
        answer_collaboration(collaborator=row, by=bob, accept=True)
    answer_collaboration(collaborator=row, by=sam, accept=False)
    row.refresh_from_db()
    assert row.status == CollaboratorStatus.DECLINED
    assert row.answered_at is not None
    answer_collaboration(collaborator=row, by=sam, accept=True)
    row.refresh_from_db()
    assert row.status == CollaboratorStatus.ACCEPTED


def test_the_relation_suggested_to_a_confirmer_follows_how_they_stand(
    placement, bob, maya, sam, mentoring
):
    from upward.accounts.models import User
    from upward.evidence.selectors.entries import suggested_relation

    peer = make_user("pat@acme.test", "Pat")
    MembershipFactory(organization=placement.organization, user=peer, role=Role.MEMBER)
    entry = entry_of(placement, visibility=Tier.ORGANIZATION, collaborators=[sam])
    expected: dict[User, str] = {bob: "manager", maya: "mentor", sam: "collaborator", peer: "peer"}
    assert {who: suggested_relation(who, entry) for who in expected} == expected
