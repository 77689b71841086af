"""Demo mentorship: verified mentors, Alice's room with Maya, and a programme to match.

Maya is placed at IC5 and offers three competencies: technical direction, which her
own evidence demonstrates (a design entry Bob and Ada confirmed), communication,
which Ada verified with a recorded basis, and growing others, not yet verified.
Bob offers growing others too, but he is Alice's manager, so he is never her match.
Alice asked Maya, Maya accepted, and their room has goals linked to Alice's
objectives, a past session with notes, the next one with its generated agenda,
action items and messages. Maya's earlier room with Kwame has ended and both rated
it. Sam's request to Maya waits for her, and Ada's autumn programme has a proposed
matching to review: Priya, verified for ownership, covers Sam's top gap.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.utils import timezone

from upward.accounts.models import Organization, User
from upward.assessments import services as assessments
from upward.assessments.selectors import active_placement
from upward.core.visibility import Tier
from upward.evidence.services.entries import confirm_entry, create_entry
from upward.mentorship.models import (
    ActionItem,
    Cadence,
    Goal,
    MentoringSession,
    Message,
    Reach,
    Room,
    RoomRating,
)
from upward.mentorship.services import (
    OfferIn,
    accept_request,
    add_action_item,
    add_goal,
    end_room,
    join_programme,
    open_programme,
    open_room,
    post_message,
    propose_matching,
    rate_room,
    save_profile,
    schedule_session,
    send_request,
    update_session,
    verify_offer,
)
from upward.notifications.models import Notification
from upward.roadmaps.models import Objective, Status

MAYA_BIO = (
    "Staff engineer on the data platform. I have led three cross-team migrations and "
    "run our architecture review for two years; I like helping people turn a good "
    "instinct into a written direction others can follow."
)
BOB_BIO = "I manage the Platform team and enjoy helping new leads run their first hiring loop."
PRIYA_BIO = "Senior engineer; I write a lot and review even more. Happy to help with writing."


def load(
    *,
    organization: Organization,
    people: dict[str, User],
    peers: list[User],
    progress: Callable[[str], None] = lambda _msg: None,
) -> None:
    """Mentor profiles, Alice's room with Maya, an ended room, a request and a programme."""
    alice, bob, maya, ada, sam = (people[n] for n in ("alice", "bob", "maya", "ada", "sam"))
    placement = active_placement(alice, organization)
    if placement is None:
        return
    progress("opening mentor profiles and Alice's mentorship room ...")
    today = timezone.localdate()
    maya_placement = assessments.place(
        user=maya,
        organization=organization,
        version=placement.version,
        track="ic",
        current_level="ic5",
    )
    priya = peers[0]
    for mentor, level in ((bob, "ic6"), (priya, "ic5")):
        if active_placement(mentor, organization) is None:
            assessments.place(
                user=mentor,
                organization=organization,
                version=placement.version,
                track="ic",
                current_level=level,
            )
    entry = create_entry(
        owner=maya,
        placement=maya_placement,
        title="Set the direction for moving every team's events onto one stream",
        body=(
            "Wrote the two-year direction for event streaming, reviewed it with each team "
            "lead, and kept a decision log the teams still use."
        ),
        impact="Five teams moved onto the shared stream; no new ad-hoc queues in a year.",
        happened_on=today - timedelta(days=60),
        competencies=[{"competency": "technical-direction", "step": "ic5"}],
        visibility=Tier.ORGANIZATION,
    )
    for confirmer, relation in ((bob, "peer"), (ada, "peer")):
        confirm_entry(
            entry=entry, by=confirmer, relation=relation, steps={"technical-direction": "ic5"}
        )
    maya_profile = save_profile(
        user=maya,
        organization=organization,
        bio=MAYA_BIO,
        capacity=3,
        cadence=Cadence.FORTNIGHTLY,
        time_zone="Europe/Stockholm",
        languages=["sv", "en", "de"],
        reach=Reach.ANYONE,
        visibility=Tier.ORGANIZATION,
        offers=[
            OfferIn("technical-direction", "ic5"),
            OfferIn("communication", "ic5"),
            OfferIn("growing-others", "ic5"),
        ],
    )
    verify_offer(
        offer=maya_profile.offers.get(competency="communication"),
        by=ada,
        basis="Runs the architecture review and its written summaries; seen by Ada for two years.",
    )
    bob_profile = save_profile(
        user=bob,
        organization=organization,
        bio=BOB_BIO,
        capacity=2,
        cadence=Cadence.MONTHLY,
        time_zone="Africa/Lagos",
        languages=["en", "ig"],
        offers=[OfferIn("growing-others", "ic5")],
    )
    verify_offer(
        offer=bob_profile.offers.get(competency="growing-others"),
        by=ada,
        basis="Grew two engineers into team leads at Acme; Ada was their skip-level.",
    )
    priya_profile = save_profile(
        user=priya,
        organization=organization,
        bio=PRIYA_BIO,
        capacity=1,
        cadence=Cadence.MONTHLY,
        time_zone="Asia/Kolkata",
        languages=["hi", "en"],
        offers=[OfferIn("communication", "ic4"), OfferIn("ownership", "ic5")],
    )
    verify_offer(
        offer=priya_profile.offers.get(competency="ownership"),
        by=ada,
        basis="Owned the on-call rotation redesign end to end; Ada sponsored it.",
    )
    _ended_room(organization, maya, peers[3], maya_profile, today)
    request = send_request(
        mentee=alice,
        organization=organization,
        profile=maya_profile,
        message=(
            "I'd like help turning my design docs into a technical direction others follow, "
            "and with explaining trade-offs outside the team."
        ),
        competencies=["technical-direction", "communication"],
    )
    room = accept_request(request=request, by=maya)
    _room(room, alice, maya, today)
    send_request(
        mentee=sam,
        organization=organization,
        profile=maya_profile,
        message="Could you help me plan my first design doc?",
    )
    _programme(organization, ada, people, peers, today)
    # What the demo did so far told Alice about her room: she has read it.
    Notification.objects.filter(recipient=alice, kind__startswith="mentorship.").update(
        read_at=timezone.now()
    )


def _room(room: Room, alice: User, maya: User, today: object) -> None:
    """Goals on Alice's objectives, a session held twelve days ago, the next one in three."""
    objectives = list(
        Objective.objects.filter(
            owner=alice, organization=room.organization, status__in=[Status.PLANNED, Status.ACTIVE]
        ).order_by("id")[:2]
    )
    for objective in objectives:
        add_goal(room=room, by=maya, title=objective.title, objective=objective)
    add_goal(room=room, by=alice, title="Present the notification queue direction to Product")
    now = timezone.now()
    back = timedelta(days=12)
    held = schedule_session(room=room, by=maya, starts_at=now + timedelta(hours=1), minutes=45)
    # The first session happened twelve days ago (sessions are booked ahead, so it is moved).
    MentoringSession.objects.filter(pk=held.pk).update(starts_at=held.starts_at - back)
    held.refresh_from_db()
    update_session(
        session=held,
        by=maya,
        notes=(
            "- Alice's one-page doc format works; next, a direction for the whole queue area\n"
            "- Practise the two-minute version of the trade-offs for non-engineers"
        ),
        held=True,
    )
    done = add_action_item(
        room=room,
        by=maya,
        title="Share the one-page design doc template with the team",
        owner=alice,
        due_on=timezone.localdate() + timedelta(days=1),
        session=held,
    )
    add_action_item(
        room=room,
        by=alice,
        title="Draft the queue direction: three options and the recommended one",
        owner=alice,
        due_on=timezone.localdate() + timedelta(days=6),
        session=held,
    )
    add_action_item(
        room=room,
        by=maya,
        title="Send Alice two direction docs from other teams to compare",
        owner=maya,
        due_on=timezone.localdate() + timedelta(days=2),
        session=held,
    )
    for author, body in (
        (alice, "Thanks for today! The template is on the team wiki now."),
        (maya, "Great. Bring the draft direction next time, even if it is rough."),
    ):
        post_message(room=room, by=author, body=body)
    # What followed the first session happened twelve days ago too.
    Room.objects.filter(pk=room.pk).update(opened_at=now - back - timedelta(days=3))
    ActionItem.objects.filter(pk=done.pk).update(
        due_on=done.due_on - back, done_at=now - back + timedelta(days=1)
    )
    Message.objects.filter(room=room).update(created_at=now - back + timedelta(hours=3))
    Goal.objects.filter(room=room).update(created_at=now - back)
    start = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=3), time(16, 0))
    )
    schedule_session(room=room, by=alice, starts_at=start, minutes=45)


def _ended_room(
    organization: Organization, maya: User, kwame: User, profile: object, today: object
) -> None:
    """Maya's earlier room with Kwame, ended two months ago; both rated it."""
    room = open_room(
        mentor=maya,
        mentee=kwame,
        organization=organization,
        cadence=Cadence.MONTHLY,
        profile=profile,  # type: ignore[arg-type]
    )
    post_message(room=room, by=kwame, body="Thank you for the six months: the review went well.")
    end_room(room=room, by=kwame)
    rate_room(room=room, by=kwame, stars=5, comment="Clear, kind and always prepared.")
    rate_room(room=room, by=maya, stars=5, comment="Kwame did every action item, early.")
    ended = timezone.now() - timedelta(days=60)
    Room.objects.filter(pk=room.pk).update(opened_at=ended - timedelta(days=180), ended_at=ended)
    RoomRating.objects.filter(room=room).update(created_at=ended + timedelta(days=1))


def _programme(
    organization: Organization,
    ada: User,
    people: dict[str, User],
    peers: list[User],
    today: object,
) -> None:
    """Ada's autumn programme: Sam and Lena joined as mentees, Maya and Priya as
    mentors; the proposed matching (Sam with Priya; Lena, with no gaps measured yet,
    unmatched) waits for Ada's review."""
    start = timezone.localdate() + timedelta(days=14)
    programme = open_programme(
        organization=organization,
        by=ada,
        name="Autumn mentoring circle",
        description=(
            "Twelve weeks, one mentor each, fortnightly check-ins. Matched on your top gaps."
        ),
        starts_on=start,
        ends_on=start + timedelta(weeks=12),
        cadence=Cadence.FORTNIGHTLY,
    )
    lena = peers[2]
    if active_placement(lena, organization) is None:
        version = active_placement(people["sam"], organization)
        if version is not None:
            assessments.place(
                user=lena,
                organization=organization,
                version=version.version,
                track="ic",
                current_level="ic3",
            )
    join_programme(programme=programme, user=people["sam"], role="mentee")
    join_programme(programme=programme, user=lena, role="mentee")
    join_programme(programme=programme, user=people["maya"], role="mentor", capacity=1)
    join_programme(programme=programme, user=peers[0], role="mentor", capacity=1)
    propose_matching(programme=programme, by=ada)
