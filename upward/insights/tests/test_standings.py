"""Standings: one per active placement, equal to the engine's delta of the person, kept
current as ratings, evidence, placements, objectives, rooms and the organization's
rules change, in a number of queries that does not grow with the number of people."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, timedelta
from io import StringIO
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from upward.accounts.models import Membership, Organization, User
from upward.assessments import services
from upward.assessments.models import Placement
from upward.assessments.models import Source as SignalSource
from upward.assessments.selectors import delta_for
from upward.assessments.services import Rating
from upward.assessments.services.events import announce, signals_changed
from upward.assessments.tests.factories import SignalFactory
from upward.engine.insights import quarter_of
from upward.evidence.services.entries import create_entry, delete_entry
from upward.evidence.services.entries.confirmations import confirm_entry
from upward.frameworks import services as framework_services
from upward.frameworks.documents import validate_document
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.tests.factories import small_document
from upward.insights import selectors
from upward.insights.access import access_insights
from upward.insights.models import Standing
from upward.insights.services import standings
from upward.insights.services.standings import decode, rebuild, refresh, refresh_flags
from upward.insights.tests.cube_data import rating
from upward.mentorship.services.ratings import end_room
from upward.mentorship.services.rooms import open_room
from upward.roadmaps.tests.factories import ObjectiveFactory
from upward.testing import make_user

Commit = Callable[[], AbstractContextManager[Any]]


@pytest.fixture
def commit(django_capture_on_commit_callbacks) -> Commit:
    """Run what the block leaves for the commit, as a committed transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def ladder(acme, ada) -> FrameworkVersion:
    version = framework_services.create_version(
        document=validate_document(small_document()), organization=acme, by=ada
    )
    return framework_services.publish_version(version=version, by=ada)


@pytest.fixture
def placement(alice, acme, ladder, commit) -> Placement:
    with commit():
        return services.place(
            user=alice, organization=acme, version=ladder, track="ic", current_level="l1"
        )


def _member(org: Organization, email: str) -> User:
    person = make_user(email, email.split("@")[0].title())
    Membership.objects.create(organization=org, user=person)
    return person


def _expected(placement: Placement) -> tuple[list[int], list[int], float]:
    """The step indexes and readiness `delta_for` gives the placement."""
    report = delta_for(placement)
    doc = report.document
    operating, demonstrated = [], []
    for competency in doc.competencies:
        keys = [s.key for s in doc.steps(competency.key, placement.target_track)]
        item = report.competency(competency.key)
        operating.append(keys.index(item.operating) if item.operating else -1)
        demonstrated.append(keys.index(item.demonstrated) if item.demonstrated else -1)
    return operating, demonstrated, report.delta.readiness


def _stood(placement: Placement) -> tuple[list[int], list[int], float]:
    standing = Standing.objects.get(placement=placement)
    return (
        decode(standing.operating).tolist(),
        decode(standing.demonstrated).tolist(),
        standing.readiness,
    )


def test_a_placement_starts_with_an_unassessed_standing(placement, alice, acme, ladder):
    standing = Standing.objects.get(placement=placement)
    assert (standing.user, standing.organization, standing.version) == (alice, acme, ladder)
    assert (standing.track, standing.current_level) == ("ic", "l1")
    assert (standing.target_track, standing.target_level) == ("ic", "l2")
    assert decode(standing.operating).dtype == np.int8
    assert _stood(placement) == ([-1, -1], [-1, -1], 0.0)
    assert (standing.has_roadmap, standing.has_mentor) == (False, False)


def test_ratings_given_through_the_services_make_the_standing_equal_the_delta(
    placement, alice, bob, maya, commit
):
    with commit():
        services.rate_self(
            placement=placement, ratings=[Rating("shipping", "l2"), Rating("reviews", "l1")]
        )
    assert _stood(placement) == _expected(placement)
    with commit():
        services.rate_as_manager(
            placement=placement,
            manager=bob,
            ratings=[Rating("shipping", "l2"), Rating("reviews", "l2")],
        )
    assert _stood(placement) == _expected(placement)
    with commit():
        asked = services.request_feedback(
            placement=placement, relationship="mentor", competencies=["reviews"], rater=maya
        )
        services.respond(feedback_request=asked, ratings=[Rating("reviews", "l3")], by=maya)
    assert _stood(placement) == _expected(placement)
    with commit():
        entry = create_entry(
            owner=alice,
            placement=placement,
            title="Moved the billing export to the new queue",
            happened_on=timezone.localdate() - timedelta(days=3),
            competencies=[{"competency": "reviews", "step": "l3"}],
            body="Planned the move with the Payments team and ran it over two weeks.",
            impact="The nightly export now finishes before the finance team starts work.",
        )
        confirm_entry(entry=entry, by=bob, relation="manager", steps={"reviews": "l3"})
    operating, demonstrated, readiness = _stood(placement)
    assert (operating, demonstrated, readiness) == _expected(placement)
    # Shipping: self l2 and manager l2; reviews: l1, l2, l3, l3 (claim), l3 (confirmed).
    assert operating == [1, 2]
    assert demonstrated[0] == 1
    assert readiness > 0
    with commit():
        delete_entry(entry=entry, by=alice)
    assert _stood(placement) == _expected(placement)
    assert _stood(placement)[0] == [1, 1]


@pytest.fixture
def asked_three(acme, placement, commit):
    """Acme keeps batches of 3; Alice rates herself, then asks three peers anonymously."""
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    with commit():
        services.rate_self(placement=placement, ratings=[Rating("shipping", "l1")])
    raters = [_member(acme, f"peer{i}@acme.test") for i in range(3)]
    asked = [
        services.request_feedback(
            placement=placement,
            relationship="peer",
            competencies=["shipping"],
            rater=rater,
            anonymous=True,
        )
        for rater in raters
    ]
    return list(zip(asked, raters, strict=True))


def _answer(request, rater) -> None:
    services.respond(feedback_request=request, ratings=[Rating("shipping", "l3")], by=rater)


def test_committed_ratings_are_read_anew_by_calibration(
    placement, ladder, alice, ada, acme, bob, maya, commit
):
    # Calibration keeps the ratings with the standings' arrays; a rating refreshes its
    # subject's standing when it commits, which makes the arrays (and ratings) read anew.
    scope = access_insights(ada, acme)

    def shipping() -> int:
        view = selectors.calibration(scope, selectors.parse_filters(scope, {}))
        return next(c.agreement.ratings for c in view.competencies if c.key == "shipping")

    assert shipping() == 0
    with commit():  # agreement counts people rated by two raters or more
        rating(alice, ladder, bob, "shipping", "l2", source=SignalSource.MANAGER)
        rating(alice, ladder, maya, "shipping", "l2", source=SignalSource.PEER)
    assert shipping() == 2


def test_anonymous_ratings_count_only_once_their_batch_is_released(placement, asked_three, commit):
    before = _stood(placement)
    assert before[0] == [0, -1]
    for request, rater in asked_three[:2]:
        with commit():
            _answer(request, rater)
        assert _stood(placement) == before  # a batch below the threshold changes nothing
        assert _stood(placement) == _expected(placement)
    with commit():
        _answer(*asked_three[2])
    after = _stood(placement)
    assert after == _expected(placement)
    assert after[0] == [2, -1]  # self l1 and three released l3


def test_a_lower_threshold_rebuilds_the_organization_in_the_background(
    acme, placement, asked_three, commit
):
    acme.anonymity_threshold = 5
    acme.save(update_fields=["anonymity_threshold"])
    with commit():
        for request, rater in asked_three:
            _answer(request, rater)
    assert _stood(placement)[0] == [0, -1]  # 3 answers, batches of 5
    with commit():
        acme.anonymity_threshold = 3
        acme.save()
    assert _stood(placement)[0] == [2, -1]
    assert _stood(placement) == _expected(placement)


def test_saving_an_organization_without_changing_its_rules_refreshes_nothing(
    acme, placement, commit, monkeypatch
):
    called: list[int] = []

    def rebuild_noted(organization: Organization, **kwargs: Any) -> int:
        called.append(organization.pk)
        return 0

    monkeypatch.setattr(standings, "rebuild", rebuild_noted)
    with commit():
        acme.name = "Acme Corporation"
        acme.save()
        acme.delta_policy = {}  # the same as stored
        acme.save(update_fields=["delta_policy"])
    assert called == []
    with commit():
        acme.anonymity_threshold = 4  # changed here, but not saved
        acme.save(update_fields=["name"])
    assert called == []
    with commit():
        acme.delta_policy = {"window_days": 30}
        acme.save(update_fields=["delta_policy"])
    assert called == [acme.pk]
    loaded_in_part = Organization.objects.only("name").get(pk=acme.pk)
    with commit():
        loaded_in_part.anonymity_threshold = 3
        loaded_in_part.save(update_fields=["anonymity_threshold"])
    assert called == [acme.pk, acme.pk]


def test_a_new_placement_replaces_the_standing(alice, acme, ladder, placement, commit):
    with commit():
        newer = services.place(
            user=alice, organization=acme, version=ladder, track="ic", current_level="l2"
        )
    assert list(Standing.objects.filter(user=alice).values_list("placement_id", flat=True)) == [
        newer.pk
    ]
    standing = Standing.objects.get(placement=newer)
    assert (standing.current_level, standing.target_level) == ("l2", "l3")


def test_an_objective_flips_has_roadmap(placement, alice, commit):
    with commit():
        objective = ObjectiveFactory.create(placement=placement)
    assert Standing.objects.get(placement=placement).has_roadmap is True
    with commit():
        objective.delete()
    assert Standing.objects.get(placement=placement).has_roadmap is False


def test_an_active_room_flips_has_mentor_and_ending_it_flips_it_back(
    placement, alice, maya, acme, commit
):
    with commit():
        room = open_room(mentor=maya, mentee=alice, organization=acme, cadence="fortnightly")
    assert Standing.objects.get(placement=placement).has_mentor is True
    with commit():
        end_room(room=room, by=maya)
    assert Standing.objects.get(placement=placement).has_mentor is False


def test_a_mentor_or_a_roadmap_elsewhere_does_not_count(placement, alice, maya, eve, globex):
    """Alice mentors in Globex and has a room there as mentee: not Acme's business."""
    open_room(mentor=eve, mentee=alice, organization=globex, cadence="fortnightly")
    open_room(mentor=alice, mentee=maya, organization=placement.organization, cadence="weekly")
    refresh_flags(placement.organization_id, [alice.pk])
    refresh(placement.organization_id, [alice.pk])
    standing = Standing.objects.get(placement=placement)
    assert (standing.has_roadmap, standing.has_mentor) == (False, False)


def test_several_signals_in_one_transaction_refresh_each_person_once(
    placement, alice, bob, commit, monkeypatch
):
    calls: list[tuple[int, frozenset[int]]] = []
    real = standings.refresh

    def counted(organization_id: int, user_ids: Any, **kwargs: Any) -> int:
        calls.append((organization_id, frozenset(user_ids)))
        return real(organization_id, user_ids, **kwargs)

    monkeypatch.setattr(standings, "refresh", counted)
    with commit(), transaction.atomic():
        SignalFactory(placement=placement, competency="shipping", step="l2")
        SignalFactory(placement=placement, competency="reviews", step="l2")
        services.rate_as_manager(
            placement=placement, manager=bob, ratings=[Rating("shipping", "l3")]
        )
        announce(placement.organization_id, [alice.pk, alice.pk])
    assert calls == [(placement.organization_id, frozenset({alice.pk}))]
    assert _stood(placement) == _expected(placement)


def _announce_then_roll_back(organization_id: int, person: int) -> None:
    try:
        with transaction.atomic():
            announce(organization_id, [person])
            raise RuntimeError("rolled back")
    except RuntimeError:
        return


def test_a_rolled_back_transaction_sends_nothing(placement, alice, commit):
    heard: list[frozenset[int]] = []

    def listen(sender: object, subject_ids: frozenset[int], **kwargs: Any) -> None:
        heard.append(subject_ids)

    signals_changed.connect(listen)
    try:
        with commit():
            _announce_then_roll_back(placement.organization_id, alice.pk)
            announce(placement.organization_id, [])
        assert heard == []
        with commit():
            announce(placement.organization_id, [alice.pk])
        assert heard == [frozenset({alice.pk})]
    finally:
        signals_changed.disconnect(listen)


# --- Batches ------------------------------------------------------------------------------


def _people(org: Organization, version: FrameworkVersion, n: int, tag: str) -> list[User]:
    """`n` placed members, each with a self-rating, a manager rating and an objective;
    half of them mentored. Left stale: nothing is committed."""
    mentor = _member(org, f"mentor-{tag}@acme.test")
    people = []
    for i in range(n):
        person = _member(org, f"{tag}{i}@acme.test")
        placement = services.place(
            user=person, organization=org, version=version, track="ic", current_level="l1"
        )
        services.rate_self(placement=placement, ratings=[Rating("shipping", "l2")])
        services.rate_as_manager(
            placement=placement, manager=mentor, ratings=[Rating("reviews", "l1")]
        )
        ObjectiveFactory(placement=placement)
        if i % 2:
            open_room(mentor=mentor, mentee=person, organization=org, cadence="weekly")
        people.append(person)
    return people


def test_refreshing_ten_people_costs_as_many_queries_as_two(acme, ladder):
    two = _people(acme, ladder, 2, "two")
    ten = _people(acme, ladder, 10, "ten")
    with CaptureQueriesContext(connection) as few:
        assert refresh(acme.pk, [u.pk for u in two]) == 2
    with CaptureQueriesContext(connection) as many:
        assert refresh(acme.pk, [u.pk for u in ten]) == 10
    assert len(many) == len(few) <= 12
    for person in two + ten:
        placement = Placement.objects.get(user=person, is_active=True)
        assert _stood(placement) == _expected(placement)
        standing = Standing.objects.get(placement=placement)
        assert standing.has_roadmap is True
    mentored = Standing.objects.filter(user__in=ten, has_mentor=True).count()
    assert mentored == 5


def test_refreshing_again_costs_the_same(acme, ladder, django_assert_num_queries):
    people = [u.pk for u in _people(acme, ladder, 3, "again")]
    with CaptureQueriesContext(connection) as first:
        refresh(acme.pk, people)
    with django_assert_num_queries(len(first)):
        assert refresh(acme.pk, people) == 3
    assert Standing.objects.filter(user_id__in=people).count() == 3


def test_refresh_of_nobody_or_of_a_missing_organization_writes_nothing(
    acme, alice, placement, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert refresh(acme.pk, []) == 0
    assert refresh(10**9, [alice.pk]) == 0
    outsider = make_user("out@else.test")
    assert refresh(acme.pk, [outsider.pk]) == 0
    assert Standing.objects.filter(user=outsider).count() == 0


def test_a_person_without_an_active_placement_loses_the_standing(placement, alice, acme):
    Placement.objects.filter(pk=placement.pk).update(is_active=False)
    assert refresh(acme.pk, [alice.pk]) == 0
    assert not Standing.objects.filter(user=alice).exists()


def test_rebuild_writes_one_standing_per_active_placement(acme, ladder, globex, eve):
    people = _people(acme, ladder, 5, "all")
    services.place(
        user=people[0], organization=acme, version=ladder, track="ic", current_level="l2"
    )
    elsewhere = framework_services.publish_version(
        version=framework_services.create_version(
            document=validate_document(small_document()), organization=globex, by=eve
        ),
        by=eve,
    )
    theirs = services.place(
        user=eve, organization=globex, version=elsewhere, track="ic", current_level="l1"
    )
    refresh(globex.pk, [eve.pk])
    Standing.objects.filter(organization=acme).delete()
    seen: list[tuple[int, int]] = []
    assert rebuild(acme, batch=2, progress=lambda done, total: seen.append((done, total))) == 5
    active = set(Placement.objects.filter(organization=acme, is_active=True).values_list("pk"))
    stood = set(Standing.objects.filter(organization=acme).values_list("placement_id"))
    assert stood == active
    assert len(stood) == 5
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert Standing.objects.filter(placement=theirs).exists()  # other organizations kept
    for pk in active:
        placement = Placement.objects.get(pk=pk[0])
        assert _stood(placement) == _expected(placement)


def test_rebuild_drops_standings_of_placements_no_longer_active(acme, placement, alice):
    Placement.objects.filter(pk=placement.pk).update(is_active=False)
    assert rebuild(acme) == 0
    assert not Standing.objects.filter(organization=acme).exists()


def test_rebuild_refuses_an_empty_batch(acme):
    with pytest.raises(ValueError, match="batch"):
        rebuild(acme, batch=0)


# --- History ------------------------------------------------------------------------------


def test_history_keeps_earlier_quarters(placement, alice, acme, bob, maya):
    today = timezone.localdate()
    then = today - timedelta(days=200)  # another quarter, before today's ratings
    shipping = [Rating("shipping", "l2")]
    services.rate_self(placement=placement, ratings=shipping)
    services.rate_as_manager(placement=placement, manager=bob, ratings=shipping)
    refresh(acme.pk, [alice.pk], today=then)
    refresh(acme.pk, [alice.pk], today=today)
    standing = Standing.objects.get(placement=placement)
    assert standing.readiness > 0
    assert standing.history == {quarter_of(then): 0.0, quarter_of(today): standing.readiness}
    asked = services.request_feedback(
        placement=placement, relationship="mentor", competencies=["reviews"], rater=maya
    )
    services.respond(feedback_request=asked, ratings=[Rating("reviews", "l2")], by=maya)
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("reviews", "l2")])
    refresh(acme.pk, [alice.pk], today=today)
    again = Standing.objects.get(placement=placement)
    assert again.readiness > standing.readiness
    assert again.history == {quarter_of(then): 0.0, quarter_of(today): again.readiness}


def test_a_new_placement_carries_the_earlier_quarters_on(alice, acme, ladder, placement):
    refresh(acme.pk, [alice.pk], today=date(2026, 2, 1))
    services.place(user=alice, organization=acme, version=ladder, track="ic", current_level="l2")
    refresh(acme.pk, [alice.pk], today=date(2026, 4, 1))
    standing = Standing.objects.get(user=alice)
    assert standing.current_level == "l2"
    assert set(standing.history) >= {"2026-Q1", "2026-Q2"}


# --- The command --------------------------------------------------------------------------


def test_the_command_rebuilds_one_organization_or_all(acme, placement, alice, globex):
    Standing.objects.all().delete()
    out = StringIO()
    call_command("refresh_insights", "--organization", "acme", stdout=out)
    assert "acme: 1 standing(s)" in out.getvalue()
    assert Standing.objects.filter(user=alice).count() == 1
    out = StringIO()
    call_command("refresh_insights", stdout=out)
    assert "globex: 0 standing(s)" in out.getvalue()
    assert "refreshed 1 standing(s)" in out.getvalue()


def test_the_command_names_an_unknown_organization(acme):
    with pytest.raises(CommandError, match="nowhere"):
        call_command("refresh_insights", "--organization", "nowhere")
