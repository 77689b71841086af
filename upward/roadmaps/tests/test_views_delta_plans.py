"""Each top gap's card on the delta page shows its plan: none yet, or where it stands."""

from __future__ import annotations

from upward.assessments import services as assessments
from upward.assessments.services import Rating
from upward.core.visibility import Tier
from upward.roadmaps import services
from upward.roadmaps.tests.factories import ObjectiveFactory
from upward.testing import client_for, page


def _gaps(placement, bob):
    """Bob rates Alice at l1 on both competencies: both are top gaps towards l2."""
    assessments.rate_as_manager(
        placement=placement,
        manager=bob,
        ratings=[Rating("shipping", "l1"), Rating("reviews", "l1")],
    )


def _card(html: str, key: str) -> str:
    start = html.index(f'aria-labelledby="gap-{key}"')
    end = html.find("</article>", start)
    return html[start:end]


def test_a_gap_without_objectives_says_no_plan_yet(alice, bob, placement):
    _gaps(placement, bob)
    ObjectiveFactory.create(placement=placement, competencies=["shipping"])
    html = page(alice, "/growth/").html
    assert "No plan yet" not in _card(html, "shipping")
    assert "Planned" in _card(html, "shipping")
    assert "No plan yet" in _card(html, "reviews")
    assert "build your roadmap" in _card(html, "reviews")


def test_a_gap_card_follows_its_objective_through_the_loop(alice, bob, placement):
    _gaps(placement, bob)
    objective = ObjectiveFactory.create(placement=placement, competencies=["shipping"])
    stages = []
    services.start_objective(objective=objective, by=alice)
    stages.append(_card(page(alice, "/growth/").html, "shipping"))
    services.complete_objective(objective=objective, by=alice, note="Shipped it.")
    stages.append(_card(page(alice, "/growth/").html, "shipping"))
    assessments.rate_as_manager(
        placement=placement, manager=bob, ratings=[Rating("shipping", "l1")]
    )
    stages.append(_card(page(alice, "/growth/").html, "shipping"))
    current = [s.split('aria-current="step"')[1].split("<")[0].rsplit(">", 1)[-1] for s in stages]
    assert current == ["In progress", "Done", "Re-assessed"]


def test_the_manager_sees_no_private_objective_on_a_gap_card(alice, bob, placement):
    _gaps(placement, bob)
    ObjectiveFactory.create(
        placement=placement,
        competencies=["shipping"],
        title="Lead the quiet plan with my mentor within six weeks",
        visibility=Tier.PRIVATE,
    )
    mine = page(alice, "/growth/").html
    assert "Lead the quiet plan" in _card(mine, "shipping")
    theirs = page(client_for(bob), f"/growth/placement/{placement.pk}/").html
    assert "Lead the quiet plan" not in theirs
    assert "No plan yet" in _card(theirs, "shipping")
    assert "build your roadmap" not in theirs
