"""My roadmap (by gap and by quarter), a manager's view of a report's roadmap, building
a roadmap from the top gaps, and the roadmap items on the dashboard."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from upward.assessments import services as assessments
from upward.assessments.services import Rating
from upward.core.tests.pages import assert_no_inline_code, text, words
from upward.core.visibility import Tier
from upward.roadmaps import selectors, services
from upward.roadmaps.models import Objective, Status
from upward.roadmaps.services import MilestoneIn
from upward.roadmaps.tests.factories import SPECIFIC, TemplateFactory


def soon(days: int = 30) -> date:
    return timezone.localdate() + timedelta(days=days)


def make(placement, title=SPECIFIC, **fields):
    fields.setdefault("competencies", ["shipping"])
    fields.setdefault("due_on", soon())
    return services.create_objective(
        owner=placement.user, placement=placement, title=title, **fields
    )


@pytest.fixture
def gaps(placement, bob):
    """Bob rates Alice a step below the target on both competencies: two top gaps."""
    ratings = [Rating("shipping", "l1"), Rating("reviews", "l1")]
    assessments.rate_as_manager(placement=placement, manager=bob, ratings=ratings)
    return placement


# --- My roadmap ----------------------------------------------------------------------------------


def test_my_roadmap_shows_each_objective_with_status_kind_timebox_and_progress(placement, as_alice):
    objective = make(
        placement,
        kind="visibility",
        milestones=[MilestoneIn("Outline agreed", soon(5)), MilestoneIn("Talk given", soon(20))],
    )
    services.set_milestone_done(
        milestone=objective.milestones.first(), by=placement.user, done=True
    )
    response = as_alice.get("/roadmap/")
    said = words(response)
    assert response.status_code == 200
    assert SPECIFIC in said
    assert "In progress" in said  # ticking a milestone off started it
    assert "Visibility (a talk, a written proposal)" in said
    assert f"by {soon():%-d %b %Y}" in said
    assert "1 of 2 milestones done" in said
    assert f'href="/roadmap/objectives/{objective.pk}/"' in text(response)
    assert_no_inline_code(response)


def test_by_gap_groups_objectives_under_each_competency_they_show(placement, as_alice):
    make(
        placement,
        "Review every pull request of the payments team within a day this quarter",
        competencies=["reviews"],
    )
    make(placement)
    said = words(as_alice.get("/roadmap/"))
    assert said.index("Shipping") < said.index(SPECIFIC) < said.index("Reviews")


def test_by_quarter_groups_objectives_under_their_quarter(placement, as_alice):
    quarter_day = soon(200)
    label = f"{quarter_day.year}-Q{(quarter_day.month - 1) // 3 + 1}"
    make(placement, quarter=label, due_on=None)
    response = as_alice.get("/roadmap/?view=quarter")
    assert f">{label}" in text(response)
    assert 'href="?view=quarter" aria-current="page"' in text(response)


def test_someone_not_placed_is_sent_to_place_themselves(alice, as_alice):
    response = as_alice.get("/roadmap/")
    assert response.status_code == 200
    assert "Place yourself first" in words(response)
    assert 'href="/growth/placement/"' in text(response)


def test_top_gaps_without_an_objective_are_flagged_until_one_is_planned(gaps, as_alice):
    said = words(as_alice.get("/roadmap/"))
    assert "No plan yet for 2 of your top gaps" in said
    make(gaps)
    said = words(as_alice.get("/roadmap/"))
    assert "No plan yet for 1 of your top gaps" in said
    assert 'href="/roadmap/objectives/new/?competency=reviews"' in text(as_alice.get("/roadmap/"))


def test_the_roadmap_link_is_in_the_main_navigation(placement, as_alice):
    html = text(as_alice.get("/roadmap/"))
    assert '<a href="/roadmap/" aria-current="page">Roadmap</a>' in html
    assert '<a href="/roadmap/">Roadmap</a>' in text(as_alice.get("/dashboard/"))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("view", ["gap", "quarter"])
def test_the_roadmap_page_costs_the_same_queries_as_objectives_grow(gaps, as_alice, view):
    make(gaps, milestones=[MilestoneIn("Plan reviewed", soon(3))])
    _queries(as_alice, f"/roadmap/?view={view}")  # the delta is kept once computed
    before = _queries(as_alice, f"/roadmap/?view={view}")
    for i in range(5):
        make(
            gaps,
            competencies=["shipping", "reviews"],
            due_on=soon(40 + 100 * i),
            milestones=[MilestoneIn("Plan reviewed", soon(3)), MilestoneIn("Shipped", soon(30))],
        )
    assert _queries(as_alice, f"/roadmap/?view={view}") == before


def test_the_roadmap_page_query_budget(gaps, as_alice, django_assert_num_queries):
    make(gaps, milestones=[MilestoneIn("Plan reviewed", soon(3))])
    as_alice.get("/roadmap/")  # the delta is kept once computed
    # 1 session, 2 user, 3 current membership, 4 active placement, the delta: 5 how the
    # viewer stands to the member, 6 its signals' stamp, 7 answers; the roadmap:
    # 8 objectives, 9 milestones, 10 stakeholders; 11 the nav's memberships,
    # 12 unread notifications.
    with django_assert_num_queries(12):
        as_alice.get("/roadmap/")


def test_the_report_page_query_budget(placement, as_bob, django_assert_num_queries):
    make(placement, milestones=[MilestoneIn("Plan reviewed", soon(3))])
    # 1 session, 2 user, 3 the placement, 4 how Bob stands to Alice (access), 5 whether
    # he mentors her, 6-7 both again (which tiers he sees), 8 objectives, 9 milestones,
    # 10 stakeholders, 11 current membership, 12 the nav's memberships, 13 unread
    # notifications.
    with django_assert_num_queries(13):
        as_bob.get(f"/roadmap/reports/{placement.pk}/")


# --- A report's roadmap, for their manager -------------------------------------------------------


def test_a_manager_sees_a_reports_objectives_shared_with_them_but_not_private_ones(
    placement, as_bob
):
    make(
        placement,
        "Write the on-call handbook with the SRE team within six weeks",
        visibility=Tier.MANAGER,
    )
    make(placement, "Propose a move to the data team to my mentor by June", visibility=Tier.PRIVATE)
    make(
        placement,
        "Run a study group on incident reviews for my mentors within a month",
        visibility=Tier.MENTORS,
    )
    response = as_bob.get(f"/roadmap/reports/{placement.pk}/")
    said = words(response)
    assert response.status_code == 200
    assert "Alice's roadmap" in said
    assert "Write the on-call handbook" in said
    assert "Propose a move to the data team" not in said
    assert "Run a study group" not in said
    assert_no_inline_code(response)


def test_someone_elses_organization_and_colleagues_get_404_for_a_reports_roadmap(
    placement, as_eve, as_maya
):
    make(placement, visibility=Tier.ORGANIZATION)
    assert as_eve.get(f"/roadmap/reports/{placement.pk}/").status_code == 404
    assert as_maya.get(f"/roadmap/reports/{placement.pk}/").status_code == 404
    assert as_eve.get("/roadmap/reports/999999/").status_code == 404


def test_the_report_page_costs_the_same_queries_as_objectives_grow(placement, as_bob):
    make(placement)
    before = _queries(as_bob, f"/roadmap/reports/{placement.pk}/")
    for i in range(4):
        make(placement, due_on=soon(10 + i), milestones=[MilestoneIn("Plan", soon(5))])
    assert _queries(as_bob, f"/roadmap/reports/{placement.pk}/") == before


# --- Build my roadmap ----------------------------------------------------------------------------


def _proposal_data(response) -> dict[str, object]:
    """The build form's fields as the page filled them in."""
    form = response.context["form"]
    data: dict[str, object] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def test_build_proposes_objectives_for_each_top_gap_with_their_check(gaps, as_alice):
    TemplateFactory.create()
    response = as_alice.get("/roadmap/build/")
    said = words(response)
    assert response.status_code == 200
    assert "Shipping" in said
    assert "Reviews" in said
    assert SPECIFIC in text(response)  # the template's objective, for the shipping gap
    assert "/100" in said
    assert 'hx-post="/roadmap/check/?prefix=p0-"' in text(response)
    assert_no_inline_code(response)


def test_once_every_proposal_is_kept_the_build_page_has_nothing_new(gaps, as_alice):
    TemplateFactory.create()
    assert "No top gaps yet" not in words(as_alice.get("/roadmap/build/"))
    as_alice.post("/roadmap/build/", _proposal_data(as_alice.get("/roadmap/build/")))
    said = words(as_alice.get("/roadmap/build/"))
    assert "Nothing new to propose" in said
    assert "Proposal 1" not in said


def test_accepting_proposals_adds_the_kept_ones_and_leaves_the_discarded(gaps, as_alice):
    TemplateFactory.create()
    data = _proposal_data(as_alice.get("/roadmap/build/"))
    count = int(str(data["count"]))
    assert count >= 2
    data["p1-keep"] = "discard"
    data["p0-title"] = "Ship the refund flow with the Payments team within six weeks"
    response = as_alice.post("/roadmap/build/", data)
    assert response.status_code == 302
    assert response["Location"] == "/roadmap/"
    made = Objective.objects.filter(owner=gaps.user)
    assert made.count() == count - 1
    assert made.filter(title=data["p0-title"]).exists()


def test_a_kept_proposal_without_a_title_is_refused_naming_it(gaps, as_alice):
    data = _proposal_data(as_alice.get("/roadmap/build/"))
    data["p0-title"] = ""
    response = as_alice.post("/roadmap/build/", data)
    assert response.status_code == 422
    assert response.context["form"].errors["p0-title"]
    assert "Give the objective a title, or discard it." in words(response)
    assert not Objective.objects.exists()


def test_a_proposal_the_service_refuses_shows_the_error_on_its_field(gaps, as_alice):
    data = _proposal_data(as_alice.get("/roadmap/build/"))
    data["p1-milestones"] = f"{soon(900).isoformat()} Long after the deadline"
    data["p1-due_on"] = soon(60).isoformat()
    response = as_alice.post("/roadmap/build/", data)
    assert response.status_code == 422
    assert response.context["form"].errors["p1-milestones"]
    assert not Objective.objects.exists()


def test_discarding_every_proposal_is_refused(gaps, as_alice):
    data = _proposal_data(as_alice.get("/roadmap/build/"))
    for i in range(int(str(data["count"]))):
        data[f"p{i}-keep"] = "discard"
    response = as_alice.post("/roadmap/build/", data)
    assert response.status_code == 422
    assert "Keep at least one objective" in words(response)


def test_build_without_top_gaps_explains_where_proposals_come_from(placement, as_alice):
    response = as_alice.get("/roadmap/build/")
    assert response.status_code == 200
    assert "No top gaps yet" in words(response)
    assert "Add the kept ones" not in words(response)


def test_build_without_a_placement_sends_the_member_to_place_themselves(alice, as_alice):
    response = as_alice.get("/roadmap/build/")
    assert response.status_code == 302
    assert response["Location"] == "/growth/placement/"


# --- The dashboard -------------------------------------------------------------------------------


def test_the_dashboard_lists_overdue_objectives_and_milestones(placement, alice, as_alice):
    past = timezone.localdate() - timedelta(days=3)
    late = make(placement, due_on=past, today=past - timedelta(days=10))
    on_time = make(placement, "Present the billing roadmap at the May all-hands with Product")
    services.add_milestone(objective=on_time, by=alice, title="Slides reviewed", due_on=soon(5))
    milestone = on_time.milestones.get()
    milestone.due_on = past
    milestone.save(update_fields=["due_on"])
    response = as_alice.get("/dashboard/")
    said = words(response)
    assert f"Overdue: {late.title}" in said
    assert "Milestone overdue: Slides reviewed" in said
    assert f'href="/roadmap/objectives/{late.pk}/"' in text(response)
    services.complete_objective(objective=late, by=alice, note="Shipped it.")
    assert f"Overdue: {late.title}" not in words(as_alice.get("/dashboard/"))


def test_the_dashboard_flags_top_gaps_with_no_plan_yet(gaps, as_alice):
    said = words(as_alice.get("/dashboard/"))
    assert "No plan yet: Shipping" in said
    assert "No plan yet: Reviews" in said
    objective = make(gaps)
    services.drop_objective(objective=objective, by=gaps.user, reason="Changed teams.")
    assert "No plan yet: Shipping" in words(as_alice.get("/dashboard/"))
    make(gaps)
    said = words(as_alice.get("/dashboard/"))
    assert "No plan yet: Shipping" not in said
    assert "No plan yet: Reviews" in said


def test_the_dashboard_costs_the_same_queries_as_objectives_grow(gaps, as_alice):
    make(gaps)
    _queries(as_alice, "/dashboard/")  # the delta is kept once computed
    before = _queries(as_alice, "/dashboard/")
    past = timezone.localdate() - timedelta(days=2)
    for i in range(3):
        make(gaps, competencies=["reviews"], due_on=past, today=past - timedelta(days=5 + i))
    assert _queries(as_alice, "/dashboard/") == before


def test_dropped_objectives_stay_listed_as_history(placement, as_alice):
    objective = make(placement)
    services.drop_objective(objective=objective, by=placement.user, reason="Team reorganised.")
    said = words(as_alice.get("/roadmap/"))
    assert SPECIFIC in said
    assert Status.DROPPED.label in said


# --- A gap's plan, for the delta page ----------------------------------------------------------


def _plan_html(plan, *, own=True) -> str:
    return " ".join(render_to_string("roadmaps/gap_plan.html", {"plan": plan, "own": own}).split())


def test_a_gap_with_no_plan_says_so_and_offers_to_plan_it(placement, alice):
    plans = selectors.gap_plans(placement, viewer=alice)
    html = _plan_html(plans["shipping"])
    assert "No plan yet" in html
    assert 'href="/roadmap/objectives/new/?competency=shipping"' in html
    assert "/roadmap/objectives/new/" not in _plan_html(plans["shipping"], own=False)


def test_a_gap_plan_shows_where_the_loop_stands_and_its_objectives(placement, alice):
    objective = make(placement, milestones=[MilestoneIn("Plan reviewed", soon(3))])
    services.start_objective(objective=objective, by=alice)
    html = _plan_html(selectors.gap_plans(placement, viewer=alice)["shipping"])
    assert '<li aria-current="step" class="is-reached">In progress</li>' in html
    assert f'href="/roadmap/objectives/{objective.pk}/"' in html
    assert "No plan yet" not in html
    services.complete_objective(objective=objective, by=alice, note="Shipped.")
    html = _plan_html(selectors.gap_plans(placement, viewer=alice)["shipping"])
    assert '<li aria-current="step" class="is-reached">Done</li>' in html
    assert 'value="1.0"' in html


# --- The demo -----------------------------------------------------------------------------------


def test_every_roadmap_page_of_the_demo_answers(db):
    from upward.accounts.models import User
    from upward.demo import load_demo
    from upward.testing import client_for

    load_demo()
    alice = User.objects.get(email="alice@example.com")
    client = client_for(alice)
    objectives = list(Objective.objects.filter(owner=alice))
    assert objectives
    pages = ["/roadmap/", "/roadmap/?view=quarter", "/roadmap/build/", "/roadmap/templates/"]
    pages += ["/roadmap/templates/?page=2", "/roadmap/calendar/", "/roadmap/objectives/new/"]
    pages += [f"/roadmap/objectives/{o.pk}/" for o in objectives]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert_no_inline_code(response)
    placement = objectives[0].placement
    bob = client_for(User.objects.get(email="bob@example.com"))
    assert bob.get(f"/roadmap/reports/{placement.pk}/").status_code == 200
