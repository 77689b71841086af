"""The calendar files: a person's secret feed and one objective's download, read back
with the iCalendar library."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from upward.assessments import services as assessments
from upward.roadmaps import services
from upward.roadmaps.models import Objective
from upward.roadmaps.tests.factories import SPECIFIC

TODAY = timezone.localdate()
DEADLINE = TODAY + timedelta(days=60)
FIRST = TODAY + timedelta(days=7)
SECOND = TODAY + timedelta(days=21)


def make(placement: Any, owner: Any, title: str = SPECIFIC, **changes: Any) -> Objective:
    fields: dict[str, Any] = {
        "competencies": ["shipping"],
        "due_on": DEADLINE,
        "success_criteria": ["Released to every customer"],
        "milestones": [
            services.MilestoneIn("Plan reviewed", FIRST),
            services.MilestoneIn("Beta with two customers", SECOND),
            services.MilestoneIn("Notes written up"),  # no date: not on the calendar
        ],
    }
    fields.update(changes)
    return services.create_objective(owner=owner, placement=placement, title=title, **fields)


def feed_path(user: Any) -> str:
    return f"/calendar/{services.create_calendar_feed(user=user)}.ics"


def events(response: Any) -> dict[str, tuple[str, date]]:
    """The calendar's events as UID -> (summary, day), read with the iCalendar library."""
    cal = icalendar.Calendar.from_ical(response.content)
    found = {}
    for event in cal.walk("VEVENT"):
        found[str(event["UID"])] = (str(event["SUMMARY"]), event.decoded("DTSTART"))
    return found


@pytest.fixture
def objective(placement, alice) -> Objective:
    return make(placement, alice)


def test_the_feed_holds_each_deadline_and_each_open_milestone_with_a_date(objective, alice, client):
    done = objective.milestones.get(title="Plan reviewed")
    services.set_milestone_done(milestone=done, by=alice, done=True)
    response = client.get(feed_path(alice))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    second = objective.milestones.get(title="Beta with two customers")
    assert events(response) == {
        f"roadmap-objective-{objective.pk}@127.0.0.1": (f"Deadline: {SPECIFIC}", DEADLINE),
        f"roadmap-milestone-{second.pk}@127.0.0.1": (
            "Milestone: Beta with two customers",
            SECOND,
        ),
    }


def test_each_event_is_a_whole_day_with_a_link_to_the_objective(objective, alice, client):
    cal = icalendar.Calendar.from_ical(client.get(feed_path(alice)).content)
    assert str(cal["PRODID"]) == "-//Upward//Roadmap//EN"
    assert str(cal["VERSION"]) == "2.0"
    for event in cal.walk("VEVENT"):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date  # all day, not a moment
        assert end - start == timedelta(days=1)
        assert str(event["URL"]).endswith(f"/roadmap/objectives/{objective.pk}/")
        assert event.decoded("DTSTAMP") == objective.updated_at.replace(microsecond=0)
    deadline = next(e for e in cal.walk("VEVENT") if "objective" in str(e["UID"]))
    assert str(deadline["DESCRIPTION"]).splitlines() == [
        "Success criteria:",
        "- Released to every customer",
        "Status: Planned",
    ]


def test_the_same_objective_keeps_its_uids_from_one_fetch_to_the_next(objective, alice, client):
    path = feed_path(alice)
    first = set(events(client.get(path)))
    services.update_objective(objective=objective, by=alice, title=SPECIFIC + " by summer")
    again = events(client.get(path))
    assert set(again) == first
    assert f"Deadline: {SPECIFIC} by summer" in {summary for summary, _day in again.values()}


def test_dropped_objectives_leave_the_feed_and_done_ones_say_so(placement, alice, client):
    dropped = make(placement, alice, title=SPECIFIC + " dropped", milestones=[])
    done = make(placement, alice, title=SPECIFIC + " done", milestones=[])
    services.drop_objective(objective=dropped, by=alice, reason="Plans changed")
    services.complete_objective(objective=done, by=alice, note="Shipped")
    found = events(client.get(feed_path(alice)))
    assert list(found.values()) == [(f"Done: {SPECIFIC} done", DEADLINE)]


def test_the_feed_needs_no_session_and_is_kept_out_of_shared_caches(objective, alice):
    client = Client(enforce_csrf_checks=True)
    response = client.get(feed_path(alice))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "sessionid" not in response.cookies
    assert client.head(feed_path(alice)).status_code == 200
    assert Client().post(feed_path(alice)).status_code == 405  # read-only


def test_a_revoked_or_unknown_address_answers_404(objective, alice, client):
    path = feed_path(alice)
    services.revoke_calendar_feed(user=alice)
    assert client.get(path).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    replaced = feed_path(alice)
    feed_path(alice)  # a new address ends the one before
    assert client.get(replaced).status_code == 404


def test_a_persons_address_shows_only_their_own_objectives(
    objective, alice, bob, ladder, acme, client
):
    bobs_placement = assessments.place(
        user=bob, organization=acme, version=ladder, track="ic", current_level="l1"
    )
    bobs = make(bobs_placement, bob, title=SPECIFIC + " for Bob", milestones=[])
    bob_sees = events(client.get(feed_path(bob)))
    alice_sees = events(client.get(feed_path(alice)))
    assert list(bob_sees) == [f"roadmap-objective-{bobs.pk}@127.0.0.1"]
    assert f"roadmap-objective-{objective.pk}@127.0.0.1" in alice_sees
    assert f"roadmap-objective-{bobs.pk}@127.0.0.1" not in alice_sees


def test_someone_who_left_the_organization_no_longer_gets_its_objectives(
    objective, alice, acme, client
):
    from upward.accounts.models import Membership

    path = feed_path(alice)
    Membership.objects.filter(organization=acme, user=alice).delete()
    response = client.get(path)
    assert response.status_code == 200
    assert events(response) == {}


def test_a_deactivated_persons_feed_answers_404(objective, alice, client):
    path = feed_path(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert client.get(path).status_code == 404


# One objective's download -------------------------------------------------------------


def test_the_owner_downloads_one_objective_as_a_file(objective, as_alice, placement, alice):
    make(placement, alice, title=SPECIFIC + " other", milestones=[])
    response = as_alice.get(f"/roadmap/objectives/{objective.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="objective-{objective.pk}.ics"'
    )
    assert "private" in response["Cache-Control"]
    assert len(events(response)) == 3  # the deadline and two dated milestones, nothing else


@pytest.mark.parametrize(
    ("visibility", "who", "status"),
    [
        ("manager", "bob", 200),
        ("private", "bob", 404),
        ("manager", "maya", 404),
        ("organization", "maya", 200),
        ("public", "eve", 404),  # another organization sees nothing
    ],
)
def test_a_download_follows_the_objectives_visibility(
    placement, alice, people, visibility, who, status
):
    from upward.testing import client_for

    objective = make(placement, alice, visibility=visibility)
    response = client_for(people[who]).get(f"/roadmap/objectives/{objective.pk}.ics")
    assert response.status_code == status


def test_a_dropped_objectives_download_says_it_was_dropped(objective, as_alice, alice):
    services.drop_objective(objective=objective, by=alice, reason="Plans changed")
    found = events(as_alice.get(f"/roadmap/objectives/{objective.pk}.ics"))
    assert found[f"roadmap-objective-{objective.pk}@127.0.0.1"] == (
        f"Dropped: {SPECIFIC}",
        DEADLINE,
    )


def test_a_download_needs_someone_signed_in(objective, client):
    response = client.get(f"/roadmap/objectives/{objective.pk}.ics")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_missing_objective_has_no_download(as_alice, db):
    assert as_alice.get("/roadmap/objectives/999999.ics").status_code == 404


def test_the_feed_costs_the_same_queries_however_many_objectives(
    placement, alice, client, django_assert_num_queries
):
    path = feed_path(alice)
    make(placement, alice)
    # the feed by its hash with its person, the objectives, their milestones, and the
    # mentoring sessions (upward.core.calendar_events)
    with django_assert_num_queries(4):
        assert len(events(client.get(path))) == 3
    for i in range(4):
        make(placement, alice, title=f"{SPECIFIC} ({i})")
    with django_assert_num_queries(4):
        assert len(events(client.get(path))) == 15
