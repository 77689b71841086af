"""The world the packet tests share: Alice placed on Acme's tiny ladder (l1 -> l2) with
evidence, a confirmation, an attributed answer and a done objective.

- "Cut the billing export time": shipping at l2, confirmed by Bob (her manager) at l2.
  With her own claim that makes shipping demonstrated: met, with confirmed evidence.
- "Reviewed the queue migrations": reviews at l2, nobody confirmed it: one claim,
  so reviews is unconfirmed and in the missing proof.
- Pat (a peer) answered her attributed request about shipping, with words.
- "Ship the billing export" (shipping) is done.

Other packet test modules import these fixtures by name.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from upward.accounts.models import Membership, User
from upward.assessments import services as assessments
from upward.assessments.services import Rating
from upward.evidence.models import Entry, Packet
from upward.evidence.services.entries import confirm_entry, create_entry
from upward.evidence.services.packets import create_packet
from upward.roadmaps.services import complete_objective, create_objective
from upward.testing import make_user

SHIPPED = "Cut the billing export time"
REVIEWED = "Reviewed the queue migrations"
OBJECTIVE = (
    "Lead the release of the billing export with the Payments team within eight weeks, "
    "cutting manual reconciliation time in half"
)
PAT_SAYS = "Pat saw the export plan through from the first draft to the release."
PAT_GAP = "Writing the plan down before starting."


@pytest.fixture
def pat(acme) -> User:
    person = make_user("pat@acme.test", "Pat Peer")
    Membership.objects.create(organization=acme, user=person)
    return person


def entry(placement, title: str, competency: str, step: str = "l2", **extra) -> Entry:
    return create_entry(
        owner=placement.user,
        placement=placement,
        title=title,
        happened_on=extra.pop("happened_on", timezone.localdate() - timedelta(days=10)),
        competencies=[{"competency": competency, "step": step}],
        impact=extra.pop("impact", f"What {title.lower()} changed, **in bold**."),
        body=extra.pop("body", "How it went, with [the plan](https://example.com/plan)."),
        **extra,
    )


@pytest.fixture
def world(placement, alice, bob, pat):
    """Alice's record on the placement (see the module docstring)."""
    shipped = entry(
        placement,
        SHIPPED,
        "shipping",
        metric="Export time",
        metric_before="40 min",
        metric_after="6 min",
        links=[{"url": "https://example.com/release-notes", "label": "Release notes"}],
    )
    confirm_entry(entry=shipped, by=bob, relation="manager", steps={"shipping": "l2"})
    reviewed = entry(placement, REVIEWED, "reviews")
    asked = assessments.request_feedback(
        placement=placement, relationship="peer", competencies=["shipping"], rater=pat
    )
    answer = assessments.respond(
        feedback_request=asked,
        ratings=[Rating("shipping", "l2")],
        consistent_at=PAT_SAYS,
        biggest_gap=PAT_GAP,
        by=pat,
    )
    objective = create_objective(
        owner=alice,
        placement=placement,
        title=OBJECTIVE,
        competencies=["shipping"],
        due_on=timezone.localdate() + timedelta(days=30),
    )
    complete_objective(objective=objective, by=alice, note="Released to every customer.")
    return {
        "shipped": shipped,
        "reviewed": reviewed,
        "answer": answer,
        "objective": objective,
    }


@pytest.fixture
def packet(world, alice, placement) -> Packet:
    return create_packet(owner=alice, placement=placement, title="Case for level 2")


def test_the_world_makes_shipping_met_and_reviews_unconfirmed(world, placement):
    from upward.assessments.selectors import delta_for

    delta = delta_for(placement).delta
    assert {c.key: c.status.value for c in delta.competencies} == {
        "shipping": "met",
        "reviews": "unconfirmed",
    }
