"""The adapters from the database to the matching engine, and one member's ranked mentors.

Alice (placed at l1 aiming at l2, Bob her manager) rates herself at l1 in both
competencies, so both are gaps: `shipping` (impact, 1.5) before `reviews` (skill, 1.0).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import pytest
from django.utils import timezone

from upward.accounts.models import Organization, Role, User
from upward.accounts.tests.factories import MembershipFactory
from upward.assessments.models import Placement, Source
from upward.assessments.tests.factories import SignalFactory
from upward.evidence.tests.factories import placed
from upward.frameworks.models import FrameworkVersion
from upward.mentorship.models import MentorProfile
from upward.mentorship.selectors import (
    DirectoryFilters,
    abilities_of,
    matches_for,
    mentee_for,
    mentees_for,
    mentor_for,
)
from upward.mentorship.tests.factories import OfferFactory, ProfileFactory, RoomFactory
from upward.testing import make_user


def rated(placement: Placement, competency: str, step: str, raters: Iterable[User], **kw) -> None:
    """Peers' ratings of `placement`'s member: each rater one independent voice."""
    for rater in raters:
        SignalFactory.create(
            placement=placement,
            competency=competency,
            step=step,
            source=Source.PEER,
            rater=rater,
            source_key=f"user:{rater.pk}",
            **kw,
        )


def member(org: Organization, email: str, name: str, role: str = Role.MEMBER) -> User:
    user = make_user(email, name)
    MembershipFactory(organization=org, user=user, role=role)
    return user


@pytest.fixture
def gaps(placement: Placement, alice: User) -> Placement:
    """Alice rates herself at l1 in both competencies: both are gaps to l2."""
    SignalFactory.create(placement=placement, competency="shipping", step="l1")
    SignalFactory.create(placement=placement, competency="reviews", step="l1")
    return placement


@pytest.fixture
def peers(acme: Organization) -> list[User]:
    return [member(acme, f"peer{i}@acme.test", f"Peer {i}") for i in range(2)]


def mentor(
    user: User, org: Organization, ladder: FrameworkVersion, peers: list[User], **offers: str
) -> MentorProfile:
    """`user` placed at l2, demonstrating each offered competency at l3, offering it to l3."""
    where = placed(user, org, ladder, level="l2")
    profile = ProfileFactory.create(user=user, organization=org)
    for competency, step in offers.items():
        OfferFactory.create(profile=profile, competency=competency, step=step)
        rated(where, competency, "l3", peers)
    return profile


def test_a_mentee_has_her_gaps_the_steps_her_target_expects_and_avoids_her_manager(
    gaps: Placement, bob: User
) -> None:
    found = mentee_for(gaps, avoid=[99])
    assert found.key == str(gaps.user_id)
    assert found.gaps == {"shipping": 1.5, "reviews": 1.0}
    assert found.needs == {"shipping": 1, "reviews": 1}  # l2 is the second step
    assert found.avoid == frozenset({str(bob.pk), "99"})


def test_mentees_are_read_in_the_same_queries_for_any_number(
    gaps: Placement,
    acme: Organization,
    ladder: FrameworkVersion,
    sam: User,
    peers,
    bob: User,
    django_assert_num_queries,
) -> None:
    others = [placed(sam, acme, ladder)] + [placed(p, acme, ladder) for p in peers]
    with django_assert_num_queries(3):  # signals, answers, managers
        one = mentees_for([gaps])
    with django_assert_num_queries(3):
        many = mentees_for([gaps, *others], avoid={sam.pk: [gaps.user_id]})
    assert set(many) == {gaps.user_id, sam.pk, *(p.pk for p in peers)}
    assert one[gaps.user_id] == many[gaps.user_id]
    assert many[sam.pk].avoid == frozenset({str(gaps.user_id)})


def test_a_mentor_brings_the_rank_of_each_verified_offer_only(
    maya: User, acme: Organization, ladder: FrameworkVersion, peers, ada: User
) -> None:
    profile = mentor(maya, acme, ladder, peers, shipping="l3")
    OfferFactory.create(profile=profile, competency="reviews", step="l2")  # not demonstrated
    abilities = abilities_of([profile])[profile.pk]
    made = mentor_for(profile, abilities, capacity=1)
    assert made.key == str(maya.pk)
    assert made.capacity == 1
    assert made.demonstrated == {"shipping": 2}


def test_matches_rank_by_covered_gaps_with_the_reason(
    gaps: Placement, alice: User, maya: User, sam: User, acme, ladder, peers
) -> None:
    mentor(maya, acme, ladder, peers, shipping="l3", reviews="l3")
    mentor(sam, acme, ladder, peers, reviews="l3")
    found = matches_for(alice, acme)
    assert [m.card.profile.user for m in found.matches] == [maya, sam]
    assert [m.score for m in found.matches] == [2.5, 1.0]
    assert found.matches[0].covers == ("shipping", "reviews")
    assert found.matches[0].reason == (
        "Covers your top gaps Shipping and Reviews: demonstrated at L3"
    )
    assert found.matches[1].reason == "Covers your top gap Reviews: demonstrated at L3"


def test_matches_never_rank_her_own_manager_a_full_or_paused_mentor(
    gaps: Placement, alice: User, bob: User, maya: User, sam: User, acme, ladder, peers
) -> None:
    mentor(bob, acme, ladder, peers, shipping="l3")
    full = mentor(maya, acme, ladder, peers, shipping="l3")
    full.capacity = 1
    full.save()
    RoomFactory.create(mentor=maya, mentee=sam, organization=acme)
    paused = mentor(sam, acme, ladder, peers, shipping="l3")
    paused.accepting = False
    paused.save()
    assert matches_for(alice, acme).matches == []


def test_matches_filter_by_language_and_time_zone_overlap(
    gaps: Placement, alice: User, maya: User, sam: User, acme, ladder, peers
) -> None:
    alice.time_zone = "Europe/Paris"
    alice.save()
    near = mentor(maya, acme, ladder, peers, shipping="l3")
    far = mentor(sam, acme, ladder, peers, shipping="l3")
    far.time_zone, far.languages = "Pacific/Auckland", ["fr"]
    far.save()
    assert near.time_zone == "Europe/London"
    both = matches_for(alice, acme, DirectoryFilters(overlap=4))
    assert [m.card.profile for m in both.matches] == [near]
    french = matches_for(alice, acme, DirectoryFilters(language="FR"))
    assert [m.card.profile for m in french.matches] == [far]


def test_a_member_who_is_not_placed_has_no_matches(alice: User, acme, maya_profile) -> None:
    found = matches_for(alice, acme)
    assert found.report is None
    assert found.matches == []


def test_matches_cost_the_same_queries_for_any_number_of_mentors(
    gaps: Placement, alice: User, acme, ladder, peers, django_assert_num_queries
) -> None:
    mentors = [member(acme, f"m{i}@acme.test", f"Mentor {i}") for i in range(6)]
    for m in mentors[:2]:
        mentor(m, acme, ladder, peers, shipping="l3")
    # placement, signals, answers, managers, settings, profiles, offers, the mentors'
    # placements, their signals and answers, their rooms
    with django_assert_num_queries(11):
        assert len(matches_for(alice, acme).matches) == 2
    for m in mentors[2:]:
        mentor(m, acme, ladder, peers, shipping="l3")
    with django_assert_num_queries(11):
        assert len(matches_for(alice, acme).matches) == 6


def test_verification_by_the_delta_lapses_when_its_signals_leave_the_window(
    maya: User, acme, ladder, peers
) -> None:
    profile = mentor(maya, acme, ladder, peers, shipping="l3")
    now = abilities_of([profile])[profile.pk]["shipping"]
    assert now.basis == "demonstrated"
    assert now.basis_text == "Demonstrated at L3: 2 independent signals"
    later = timezone.localdate() + timedelta(days=800)
    lapsed = abilities_of([profile], today=later)[profile.pk]["shipping"]
    assert lapsed.basis == ""
    assert lapsed.rank is None
    assert lapsed.demonstrated is None


def test_an_old_signal_and_a_new_one_are_not_two_in_the_window(
    maya: User, acme, ladder, peers
) -> None:
    profile = ProfileFactory.create(user=maya, organization=acme)
    OfferFactory.create(profile=profile, competency="shipping", step="l3")
    where = placed(maya, acme, ladder, level="l2")
    rated(where, "shipping", "l3", peers[:1], observed_on=date(2020, 1, 1))
    rated(where, "shipping", "l3", peers[1:])
    assert abilities_of([profile])[profile.pk]["shipping"].basis == ""


def test_a_persons_verification_shows_its_basis_and_matches_at_the_offered_step(
    maya_profile: MentorProfile, ada: User
) -> None:
    from upward.mentorship.services import verify_offer

    verify_offer(offer=maya_profile.offers.get(), by=ada, basis="Led the payments guild")
    found = abilities_of([maya_profile])[maya_profile.pk]["shipping"]
    day = timezone.localdate().isoformat()
    assert found.basis == "verified"
    assert found.basis_text == f"Verified by Ada on {day}: Led the payments guild"
    assert found.rank == 2  # l3, the offered step
    assert found.demonstrated is None


def test_abilities_cost_the_same_queries_for_any_number_of_mentors(
    maya: User, sam: User, acme, ladder, peers, django_assert_num_queries
) -> None:
    profiles = [mentor(maya, acme, ladder, peers, shipping="l3")]
    with django_assert_num_queries(4):  # offers, placements, signals, answers
        abilities_of(profiles)
    profiles.append(mentor(sam, acme, ladder, peers, reviews="l3"))
    with django_assert_num_queries(4):
        found = abilities_of(profiles)
    assert found[profiles[1].pk]["reviews"].basis == "demonstrated"
