"""The overdue sweep: objectives and milestones past due tell their owner, at most once a day
(and then once a week while they stay overdue), through the notification kinds."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from upward.accounts.models import Membership
from upward.accounts.services import remove_member
from upward.assessments import services as assessments
from upward.notifications.kinds import Choice, kind
from upward.notifications.models import Notification
from upward.notifications.services import set_choice
from upward.roadmaps import services, tasks
from upward.roadmaps.models import Milestone, Objective
from upward.roadmaps.services import MilestoneIn
from upward.roadmaps.services.reminders import REMIND_EVERY
from upward.roadmaps.tests.factories import ObjectiveFactory

TODAY = timezone.localdate()


@pytest.fixture
def late(placement):
    """An objective two days past its deadline with a milestone five days past its day."""
    objective = ObjectiveFactory.create(
        placement=placement, milestones=[MilestoneIn("Plan", TODAY), MilestoneIn("Ship")]
    )
    Objective.objects.filter(pk=objective.pk).update(due_on=TODAY - timedelta(days=2))
    Milestone.objects.filter(objective=objective, title="Plan").update(
        due_on=TODAY - timedelta(days=5)
    )
    return objective


def kinds() -> list[str]:
    return list(Notification.objects.order_by("kind").values_list("kind", flat=True))


def test_both_kinds_are_registered_as_a_daily_digest():
    for key in ("roadmap.objective_overdue", "roadmap.milestone_overdue"):
        assert kind(key).default == Choice.DAILY


def test_the_sweep_tells_the_owner_once_per_item_however_often_it_runs(late, alice):
    assert services.remind_overdue(today=TODAY) == 2
    assert services.remind_overdue(today=TODAY) == 0
    assert kinds() == ["roadmap.milestone_overdue", "roadmap.objective_overdue"]
    notification = Notification.objects.get(kind="roadmap.objective_overdue")
    assert notification.recipient == alice
    assert notification.url == f"/roadmap/objectives/{late.pk}/"
    assert late.title in notification.title


def test_an_item_still_overdue_is_told_again_a_week_later_not_the_next_day(late):
    services.remind_overdue(today=TODAY)
    assert services.remind_overdue(today=TODAY + timedelta(days=1)) == 0
    assert services.remind_overdue(today=TODAY + REMIND_EVERY) == 2
    assert Notification.objects.count() == 4


def test_done_dropped_and_ticked_off_items_tell_nobody(late, placement, alice):
    services.set_milestone_done(milestone=late.milestones.get(title="Plan"), by=alice, done=True)
    other = ObjectiveFactory.create(placement=placement)
    Objective.objects.filter(pk=other.pk).update(due_on=TODAY - timedelta(days=1))
    other.refresh_from_db()
    services.drop_objective(objective=other, by=alice, reason="Cancelled")
    assert services.remind_overdue(today=TODAY) == 1
    assert kinds() == ["roadmap.objective_overdue"]
    services.complete_objective(objective=late, by=alice, note="Done")
    assert services.remind_overdue(today=TODAY + REMIND_EVERY) == 0


def test_moving_a_milestone_lets_it_be_told_about_again(late, alice):
    services.remind_overdue(today=TODAY)
    milestone = late.milestones.get(title="Plan")
    services.update_milestone(milestone=milestone, by=alice, due_on=TODAY - timedelta(days=1))
    assert services.remind_overdue(today=TODAY) == 1


def test_someone_who_left_or_moved_on_is_not_told(late, alice, ada, acme, ladder):
    assessments.place(user=alice, organization=acme, version=ladder, track="ic", current_level="l1")
    # The open objective moved to the new placement: it still tells Alice.
    assert services.remind_overdue(today=TODAY) == 2
    remove_member(membership=Membership.objects.get(organization=acme, user=alice), by=ada)
    assert services.remind_overdue(today=TODAY + REMIND_EVERY) == 0


def test_an_instant_choice_sends_the_email_once_committed(
    late, alice, mailoutbox, django_capture_on_commit_callbacks
):
    set_choice(user=alice, kind_key="roadmap.objective_overdue", choice="instant", by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.remind_overdue(today=TODAY)
    assert len(mailoutbox) == 1
    assert late.title in mailoutbox[0].subject
    assert mailoutbox[0].to == [alice.email]


def test_the_command_and_the_task_run_the_same_sweep(late):
    out = StringIO()
    call_command("remind_overdue", stdout=out)
    assert out.getvalue().strip() == "sent 2 reminder(s)"
    assert tasks.send_overdue_reminders.call() == 0
