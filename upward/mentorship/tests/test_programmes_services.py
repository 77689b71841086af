"""Cohort programmes: opening, joining and leaving, the proposal (exact, not greedy),
adjusting it within the hard constraints, publishing (rooms), closing.

The cohort most tests use, on the tiny ladder (gap scores: `shipping` is an impact
competency, 1.5 a step; `reviews` a skill, 1.0 a step), everyone placed at l2 aiming
at l3:

- Ana rates herself at l2 in shipping (gap 1: 1.5) and l1 in reviews (gap 2: 2.0).
- Ben rates himself at l1 in shipping (gap 2: 3.0) and l3 in reviews (no gap).
- Mo has demonstrated both at l3; Mia only reviews. One place each.

Ana with Mo scores 3.5, the best single pair, so a greedy choice takes it first and
leaves Ben with nobody (Mia covers none of his gaps): 3.5 in all. The optimum pairs
Ben with Mo (3.0) and Ana with Mia (2.0): 5.0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from upward.accounts.models import Organization, Role, User
from upward.accounts.tests.factories import MembershipFactory
from upward.assessments.models import Placement, Source
from upward.assessments.tests.factories import SignalFactory
from upward.core.audit import AuditCode
from upward.core.errors import Conflict, Invalid, NotFound
from upward.core.models import AuditEvent
from upward.engine import matching as engine
from upward.evidence.tests.factories import placed
from upward.frameworks.models import FrameworkVersion
from upward.mentorship.models import (
    MentorProfile,
    Pair,
    PairOrigin,
    Participant,
    ParticipantRole,
    Programme,
    ProgrammeStatus,
    Room,
    RoomStatus,
)
from upward.mentorship.selectors import programmes as selectors
from upward.mentorship.services import programmes as services
from upward.mentorship.tests.factories import OfferFactory, ProfileFactory, RoomFactory
from upward.notifications.models import Notification
from upward.testing import make_user

START = date(2027, 1, 11)


# --- Building a cohort (imported by the other programme tests) --------------------------


def member(org: Organization, email: str, name: str, role: str = Role.MEMBER) -> User:
    user = make_user(email, name)
    MembershipFactory.create(organization=org, user=user, role=role)
    return user


def rated(placement: Placement, competency: str, step: str, raters: Iterable[User]) -> None:
    """Ratings by peers: each rater one independent voice."""
    for rater in raters:
        SignalFactory.create(
            placement=placement,
            competency=competency,
            step=step,
            source=Source.PEER,
            rater=rater,
            source_key=f"user:{rater.pk}",
        )


def mentee(user: User, org: Organization, ladder: FrameworkVersion, **steps: str) -> Placement:
    """`user` placed at l2 (aiming at l3), rating themselves at `steps`."""
    where = placed(user, org, ladder, level="l2")
    for competency, step in steps.items():
        SignalFactory.create(placement=where, competency=competency, step=step)
    return where


def mentor(
    user: User,
    org: Organization,
    ladder: FrameworkVersion,
    peers: list[User],
    *competencies: str,
    capacity: int = 2,
) -> MentorProfile:
    """`user` placed at l2, demonstrating each competency at l3 and offering it to l3."""
    where = placed(user, org, ladder, level="l2")
    profile = ProfileFactory.create(user=user, organization=org, capacity=capacity)
    for competency in competencies:
        OfferFactory.create(profile=profile, competency=competency, step="l3")
        rated(where, competency, "l3", peers)
    return profile


def open_one(org: Organization, by: User, name: str = "Spring cohort") -> Programme:
    return services.open_programme(
        organization=org, by=by, name=name, starts_on=START, ends_on=START + timedelta(days=90)
    )


@dataclass
class World:
    programme: Programme
    ana: User
    ben: User
    mo: User
    mia: User
    peers: list[User]


def cohort_world(org: Organization, ladder: FrameworkVersion, admin: User) -> World:
    """The module docstring's cohort, everyone joined (mentors with one place each)."""
    peers = [member(org, f"peer{i}@acme.test", f"Peer {i}") for i in range(2)]
    ana = member(org, "ana@acme.test", "Ana")
    ben = member(org, "ben@acme.test", "Ben")
    mo = member(org, "mo@acme.test", "Mo")
    mia = member(org, "mia@acme.test", "Mia")
    mentee(ana, org, ladder, shipping="l2", reviews="l1")
    mentee(ben, org, ladder, shipping="l1", reviews="l3")
    mentor(mo, org, ladder, peers, "shipping", "reviews")
    mentor(mia, org, ladder, peers, "reviews")
    programme = open_one(org, admin)
    for who in (ana, ben):
        services.join_programme(programme=programme, user=who, role=ParticipantRole.MENTEE)
    for who in (mo, mia):
        services.join_programme(
            programme=programme, user=who, role=ParticipantRole.MENTOR, capacity=1
        )
    return World(programme, ana, ben, mo, mia, peers)


@pytest.fixture
def world(acme: Organization, ladder: FrameworkVersion, ada: User) -> World:
    return cohort_world(acme, ladder, ada)


def greedy_pairs(
    mentees: list[engine.Mentee], mentors: list[engine.Mentor]
) -> dict[tuple[str, str], float]:
    """The best remaining pair first, until none scores above 0: what the proposal beats."""
    scored = sorted(
        (engine.pair_score(a, b) for a in mentees for b in mentors),
        key=lambda p: -p.score,
    )
    taken: dict[tuple[str, str], float] = {}
    places = {m.key: m.capacity for m in mentors}
    for p in scored:
        if p.score > 0 and places[p.mentor] > 0 and all(k[0] != p.mentee for k in taken):
            taken[(p.mentee, p.mentor)] = p.score
            places[p.mentor] -= 1
    return taken


def pairs_of(programme: Programme) -> set[tuple[int, int]]:
    return set(Pair.objects.filter(programme=programme).values_list("mentee_id", "mentor_id"))


# --- Opening ------------------------------------------------------------------------------


def test_an_admin_opens_a_programme_and_it_is_audited(acme: Organization, ada: User) -> None:
    made = services.open_programme(
        organization=acme,
        by=ada,
        name="  Spring cohort ",
        description="For new leads.",
        starts_on=START,
        ends_on=START + timedelta(days=90),
        cadence="monthly",
    )
    assert (made.name, made.status, made.cadence) == ("Spring cohort", "open", "monthly")
    assert AuditEvent.objects.filter(code=AuditCode.MENTORSHIP_PROGRAMME_OPENED).count() == 1


@pytest.mark.parametrize("who", ["alice", "bob", "maya", "eve"])
def test_only_admins_of_the_organization_open_programmes(
    acme: Organization, people: dict[str, User], who: str
) -> None:
    with pytest.raises(NotFound):
        open_one(acme, people[who])
    assert not Programme.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Two\nlines"}, "name"),
        ({"ends_on": START}, "ends_on"),
        ({"ends_on": START - timedelta(days=1)}, "ends_on"),
        ({"cadence": "daily"}, "cadence"),
        ({"description": "x" * 5001}, "description"),
    ],
)
def test_bad_programme_input_names_the_field_and_writes_nothing(
    acme: Organization, ada: User, changes: dict[str, object], field: str
) -> None:
    given: dict[str, object] = {
        "name": "Spring",
        "starts_on": START,
        "ends_on": START + timedelta(days=30),
        "cadence": "weekly",
        **changes,
    }
    with pytest.raises(Invalid) as error:
        services.open_programme(organization=acme, by=ada, **given)  # type: ignore[arg-type]
    assert error.value.field == field
    assert not Programme.objects.exists()


# --- Joining and leaving -----------------------------------------------------------------


def test_a_placed_member_joins_as_mentee_with_mentors_to_avoid(
    acme: Organization, ada: User, alice: User, placement: Placement, maya_profile: MentorProfile
) -> None:
    programme = open_one(acme, ada)
    place = services.join_programme(
        programme=programme, user=alice, role="mentee", avoid=[maya_profile.user_id]
    )
    assert (place.role, place.avoid, place.capacity) == ("mentee", [maya_profile.user_id], 0)


def test_a_mentee_needs_a_placement_here(acme: Organization, ada: User, sam: User) -> None:
    programme = open_one(acme, ada)
    with pytest.raises(Invalid) as error:
        services.join_programme(programme=programme, user=sam, role="mentee")
    assert error.value.field == "role"
    assert not Participant.objects.exists()


def test_a_mentor_needs_a_profile_here(acme: Organization, ada: User, sam: User) -> None:
    programme = open_one(acme, ada)
    with pytest.raises(Invalid) as error:
        services.join_programme(programme=programme, user=sam, role="mentor", capacity=1)
    assert error.value.field == "role"


@pytest.mark.parametrize("capacity", [None, 0, 3, -1])
def test_a_mentor_takes_between_one_and_their_open_places(
    acme: Organization,
    ada: User,
    maya: User,
    maya_profile: MentorProfile,
    alice: User,
    capacity: int | None,
) -> None:
    RoomFactory.create(mentor=maya, mentee=alice, organization=acme)  # 1 of her 2 places
    programme = open_one(acme, ada)
    with pytest.raises(Invalid) as error:
        services.join_programme(programme=programme, user=maya, role="mentor", capacity=capacity)
    assert error.value.field == "capacity"
    assert "between 1 and 1" in error.value.message
    assert not Participant.objects.exists()


def test_a_full_mentor_is_told_they_have_no_open_places(
    acme: Organization, ada: User, maya: User, maya_profile: MentorProfile, alice: User, sam: User
) -> None:
    RoomFactory.create(mentor=maya, mentee=alice, organization=acme)
    RoomFactory.create(mentor=maya, mentee=sam, organization=acme)
    programme = open_one(acme, ada)
    with pytest.raises(Invalid, match="no open places") as error:
        services.join_programme(programme=programme, user=maya, role="mentor", capacity=1)
    assert error.value.field == "capacity"


def test_joining_twice_is_a_conflict(
    acme: Organization, ada: User, maya: User, maya_profile: MentorProfile
) -> None:
    programme = open_one(acme, ada)
    services.join_programme(programme=programme, user=maya, role="mentor", capacity=2)
    with pytest.raises(Conflict):
        services.join_programme(programme=programme, user=maya, role="mentor", capacity=1)
    assert Participant.objects.get().capacity == 2


@pytest.mark.parametrize("bad", ["self", "stranger"])
def test_an_avoid_list_names_members_other_than_oneself(
    acme: Organization, ada: User, alice: User, placement: Placement, eve: User, bad: str
) -> None:
    programme = open_one(acme, ada)
    other = alice.pk if bad == "self" else eve.pk
    with pytest.raises(Invalid) as error:
        services.join_programme(
            programme=programme, user=alice, role="mentee", avoid=[ada.pk, other]
        )
    assert error.value.field == "avoid[1]"
    assert not Participant.objects.exists()


def test_an_unknown_role_is_refused(acme: Organization, ada: User, alice: User) -> None:
    programme = open_one(acme, ada)
    with pytest.raises(Invalid) as error:
        services.join_programme(programme=programme, user=alice, role="observer")
    assert error.value.field == "role"


def test_someone_of_another_organization_cannot_join(
    acme: Organization, ada: User, eve: User
) -> None:
    programme = open_one(acme, ada)
    with pytest.raises(NotFound):
        services.join_programme(programme=programme, user=eve, role="mentee")


def test_members_leave_only_while_it_is_open(world: World, ada: User) -> None:
    services.leave_programme(programme=world.programme, user=world.ben)
    assert not Participant.objects.filter(user=world.ben).exists()
    with pytest.raises(Conflict):
        services.leave_programme(programme=world.programme, user=world.ben)  # not in it
    services.propose_matching(programme=world.programme, by=ada)
    with pytest.raises(Conflict):
        services.leave_programme(programme=world.programme, user=world.ana)
    with pytest.raises(Conflict):
        services.join_programme(programme=world.programme, user=world.ben, role="mentee")
    assert Participant.objects.filter(user=world.ana).exists()


# --- Proposing ----------------------------------------------------------------------------


def test_the_proposal_is_the_optimum_not_the_greedy_choice(world: World, ada: User) -> None:
    assignment = services.propose_matching(programme=world.programme, by=ada)
    assert pairs_of(world.programme) == {(world.ben.pk, world.mo.pk), (world.ana.pk, world.mia.pk)}
    assert assignment.total == pytest.approx(5.0)
    # The greedy choice (the best single pair first) stops at 3.5 for the same people.
    found = selectors.cohort(world.programme)
    greedy = greedy_pairs(list(found.mentees.values()), list(found.mentors.values()))
    assert greedy == {(str(world.ana.pk), str(world.mo.pk)): 3.5}
    world.programme.refresh_from_db()
    assert world.programme.status == ProgrammeStatus.PROPOSED


def test_the_stored_pairs_are_what_the_engine_solves_for_the_same_people(
    world: World, ada: User
) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    found = selectors.cohort(world.programme)
    expected = engine.solve(list(found.mentees.values()), list(found.mentors.values()))
    stored = Pair.objects.filter(programme=world.programme)
    assert {(str(p.mentee_id), str(p.mentor_id), p.score, tuple(p.covers)) for p in stored} == {
        (p.mentee, p.mentor, p.score, p.covers) for p in expected.pairs
    }
    assert all(p.origin == PairOrigin.SOLVER for p in stored)


def test_proposing_again_replaces_the_earlier_proposal(world: World, ada: User) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    first = set(Pair.objects.values_list("pk", flat=True))
    services.propose_matching(programme=world.programme, by=ada)
    assert Pair.objects.count() == 2
    assert not first & set(Pair.objects.values_list("pk", flat=True))


def test_the_mentees_own_manager_is_never_proposed(
    acme: Organization, ada: User, alice: User, bob: User, placement: Placement, ladder
) -> None:
    SignalFactory.create(placement=placement, competency="shipping", step="l1")
    peers = [member(acme, f"p{i}@acme.test", f"P {i}") for i in range(2)]
    mentor(bob, acme, ladder, peers, "shipping")
    programme = open_one(acme, ada)
    services.join_programme(programme=programme, user=alice, role="mentee")
    services.join_programme(programme=programme, user=bob, role="mentor", capacity=1)
    services.propose_matching(programme=programme, by=ada)
    assert not Pair.objects.exists()
    shown = selectors.proposal(programme)
    assert [u.user for u in shown.unmatched] == [alice]
    assert "excluded" in shown.unmatched[0].reason


def test_proposing_needs_mentees_and_mentors(acme: Organization, ada: User) -> None:
    programme = open_one(acme, ada)
    with pytest.raises(Conflict, match="mentee"):
        services.propose_matching(programme=programme, by=ada)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.OPEN


@pytest.mark.parametrize("who", ["alice", "bob", "maya", "eve"])
def test_only_admins_propose(world: World, people: dict[str, User], who: str) -> None:
    with pytest.raises(NotFound):
        services.propose_matching(programme=world.programme, by=people[who])
    assert not Pair.objects.exists()


# --- Adjusting ----------------------------------------------------------------------------


def test_an_admin_replaces_a_pair_and_the_score_is_computed(world: World, ada: User) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    services.remove_pair(pair=Pair.objects.get(mentee=world.ben), by=ada)
    made = services.add_pair(
        programme=world.programme, by=ada, mentee_id=world.ana.pk, mentor_id=world.mo.pk
    )
    assert (made.origin, made.score, made.covers) == (
        PairOrigin.ADMIN,
        3.5,
        ["reviews", "shipping"],
    )
    assert pairs_of(world.programme) == {(world.ana.pk, world.mo.pk)}  # Ana's pair replaced
    shown = selectors.proposal(world.programme)
    assert shown.total == 3.5
    assert [u.user for u in shown.unmatched] == [world.ben]


def test_an_adjustment_keeps_the_mentors_capacity(world: World, ada: User) -> None:
    services.propose_matching(programme=world.programme, by=ada)  # Mo has Ben
    with pytest.raises(Invalid, match="full") as error:
        services.add_pair(
            programme=world.programme, by=ada, mentee_id=world.ana.pk, mentor_id=world.mo.pk
        )
    assert error.value.field == "mentor"
    assert pairs_of(world.programme) == {(world.ben.pk, world.mo.pk), (world.ana.pk, world.mia.pk)}


def test_a_pair_that_covers_no_gap_is_refused(world: World, ada: User) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    services.remove_pair(pair=Pair.objects.get(mentee=world.ana), by=ada)
    with pytest.raises(Invalid, match="score 0") as error:
        services.add_pair(
            programme=world.programme, by=ada, mentee_id=world.ben.pk, mentor_id=world.mia.pk
        )
    assert error.value.field == "mentor"
    assert pairs_of(world.programme) == {(world.ben.pk, world.mo.pk)}


def test_a_mentor_on_the_avoid_list_is_refused(
    acme: Organization, ladder: FrameworkVersion, ada: User
) -> None:
    found = cohort_world(acme, ladder, ada)
    Participant.objects.filter(user=found.ana).update(avoid=[found.mia.pk])
    services.propose_matching(programme=found.programme, by=ada)
    # Without Mia, Ana with Mo (3.5) beats Ben with Mo (3.0).
    assert pairs_of(found.programme) == {(found.ana.pk, found.mo.pk)}
    with pytest.raises(Invalid, match="asked not to be matched") as error:
        services.add_pair(
            programme=found.programme, by=ada, mentee_id=found.ana.pk, mentor_id=found.mia.pk
        )
    assert error.value.field == "mentor"


def test_the_own_manager_is_refused_by_hand_too(
    acme: Organization, ada: User, alice: User, bob: User, placement: Placement, ladder
) -> None:
    SignalFactory.create(placement=placement, competency="shipping", step="l1")
    peers = [member(acme, f"p{i}@acme.test", f"P {i}") for i in range(2)]
    mentor(bob, acme, ladder, peers, "shipping")
    programme = open_one(acme, ada)
    services.join_programme(programme=programme, user=alice, role="mentee")
    services.join_programme(programme=programme, user=bob, role="mentor", capacity=1)
    services.propose_matching(programme=programme, by=ada)
    with pytest.raises(Invalid, match="manager") as error:
        services.add_pair(programme=programme, by=ada, mentee_id=alice.pk, mentor_id=bob.pk)
    assert error.value.field == "mentor"
    assert not Pair.objects.exists()


@pytest.mark.parametrize(
    ("side", "field"), [("mentee", "mentee"), ("mentor", "mentor"), ("outsider", "mentee")]
)
def test_pairing_someone_in_the_wrong_role_names_the_side(
    world: World, ada: User, alice: User, side: str, field: str
) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    mentee_id, mentor_id = world.ana.pk, world.mo.pk
    if side == "mentee":
        mentee_id = world.mia.pk
    elif side == "mentor":
        mentor_id = world.ben.pk
    else:
        mentee_id = alice.pk
    with pytest.raises(Invalid) as error:
        services.add_pair(
            programme=world.programme, by=ada, mentee_id=mentee_id, mentor_id=mentor_id
        )
    assert error.value.field == field


def test_adjusting_needs_a_proposal_first(world: World, ada: User) -> None:
    with pytest.raises(Conflict, match="Propose"):
        services.add_pair(
            programme=world.programme, by=ada, mentee_id=world.ana.pk, mentor_id=world.mo.pk
        )


# --- Publishing ---------------------------------------------------------------------------


def test_publishing_opens_a_room_per_pair_and_tells_both_sides(world: World, ada: User) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    rooms = services.publish_programme(programme=world.programme, by=ada)
    assert len(rooms) == 2
    for pair in Pair.objects.filter(programme=world.programme).select_related("room"):
        room = pair.room
        assert room is not None
        assert (room.mentor_id, room.mentee_id) == (pair.mentor_id, pair.mentee_id)
        assert (room.programme_id, room.organization_id) == (
            world.programme.pk,
            world.programme.organization_id,
        )
        assert room.cadence == world.programme.cadence
        assert room.status == RoomStatus.ACTIVE
        assert room.profile is not None
        assert room.profile.user_id == pair.mentor_id
    told = Notification.objects.filter(kind="mentorship.programme_matched")
    assert sorted(n.recipient_id for n in told) == sorted(
        [world.ana.pk, world.ben.pk, world.mo.pk, world.mia.pk]
    )
    world.programme.refresh_from_db()
    assert world.programme.status == ProgrammeStatus.PUBLISHED
    assert world.programme.published_at is not None


def test_publishing_twice_is_a_conflict(world: World, ada: User) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    services.publish_programme(programme=world.programme, by=ada)
    with pytest.raises(Conflict, match="already published"):
        services.publish_programme(programme=world.programme, by=ada)
    with pytest.raises(Conflict):
        services.propose_matching(programme=world.programme, by=ada)
    with pytest.raises(Conflict):
        services.remove_pair(pair=Pair.objects.first(), by=ada)  # type: ignore[arg-type]
    assert Room.objects.count() == 2


def test_publishing_before_proposing_is_a_conflict(world: World, ada: User) -> None:
    with pytest.raises(Conflict, match="Propose"):
        services.publish_programme(programme=world.programme, by=ada)
    assert not Room.objects.exists()


def test_publishing_an_empty_proposal_is_a_conflict(world: World, ada: User) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    for pair in Pair.objects.all():
        services.remove_pair(pair=pair, by=ada)
    with pytest.raises(Conflict, match="no pairs"):
        services.publish_programme(programme=world.programme, by=ada)


def test_a_pair_already_mentoring_stops_the_publish_and_nothing_opens(
    world: World, ada: User, acme: Organization
) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    RoomFactory.create(mentor=world.mo, mentee=world.ben, organization=acme)
    with pytest.raises(Conflict, match="already mentors"):
        services.publish_programme(programme=world.programme, by=ada)
    assert Room.objects.count() == 1
    world.programme.refresh_from_db()
    assert world.programme.status == ProgrammeStatus.PROPOSED


@pytest.mark.parametrize("who", ["alice", "maya", "eve"])
def test_only_admins_publish(world: World, ada: User, people: dict[str, User], who: str) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    with pytest.raises(NotFound):
        services.publish_programme(programme=world.programme, by=people[who])
    assert not Room.objects.exists()


def test_closing_stops_everything_but_keeps_the_rooms(world: World, ada: User) -> None:
    services.propose_matching(programme=world.programme, by=ada)
    services.publish_programme(programme=world.programme, by=ada)
    services.close_programme(programme=world.programme, by=ada)
    with pytest.raises(Conflict):
        services.close_programme(programme=world.programme, by=ada)
    assert Room.objects.filter(status=RoomStatus.ACTIVE).count() == 2
