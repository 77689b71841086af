"""The template library: searching it, a template's page (apply, rate once applied),
writing a template, and its review by a second person."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from upward.accounts.models import Role
from upward.accounts.tests.factories import MembershipFactory
from upward.core.tests.pages import assert_no_inline_code, text, words
from upward.roadmaps import services
from upward.roadmaps.models import Objective, RoadmapTemplate, TemplateRating, TemplateStatus
from upward.roadmaps.tests.factories import SPECIFIC, TemplateFactory, template_objective
from upward.testing import client_for, make_user


@pytest.fixture
def library(db):
    return TemplateFactory.create(title="Ship a feature end to end")


@pytest.fixture
def other_admin(acme):
    user = make_user("grace@acme.test", "Grace")
    MembershipFactory(organization=acme, user=user, role=Role.ADMIN)
    return user


def template_data(**changes):
    data = {
        "framework_key": "tiny",
        "competency": "shipping",
        "track": "ic",
        "from_step": "l1",
        "to_step": "l2",
        "title": "Own a release",
        "summary": "From the plan to the release, with the team.",
        "duration_weeks": "10",
        "evidence": "Release notes\nA retrospective",
        "author_credentials": "Engineering manager, led three platform teams",
        "objectives[0].title": SPECIFIC,
        "objectives[0].kind": "initiative",
        "objectives[0].description": "Own it.",
        "objectives[0].success_criteria": "Released to everyone",
        "objectives[0].stakeholders": "Payments team",
        "objectives[0].timebox_weeks": "8",
        "objectives[0].milestones": "2: Plan reviewed\n8: Released",
        "objectives[1].kind": "initiative",
        "objectives[2].kind": "initiative",
    }
    data.update(changes)
    return data


# --- The library ---------------------------------------------------------------------------------


def test_the_library_lists_published_templates_with_applied_count_and_rating(
    library, placement, alice, as_alice
):
    TemplateFactory.create(title="A draft nobody should see", status=TemplateStatus.DRAFT)
    services.apply_template(template=library, placement=placement, by=alice)
    services.rate_template(template=library, by=alice, stars=4)
    response = as_alice.get("/roadmap/templates/")
    said = words(response)
    assert response.status_code == 200
    assert "Ship a feature end to end" in said
    assert "A draft nobody should see" not in said
    assert "Applied 1 time" in said
    assert "Rated 4.0/5 by 1" in said
    assert "L1 → L2" in said
    assert_no_inline_code(response)


def test_the_library_is_searched_by_competency_and_step(placement, as_alice):
    TemplateFactory.create(title="Ship a feature end to end")
    TemplateFactory.create(
        title="Review like a senior", competency="reviews", from_step="l2", to_step="l3"
    )
    said = words(as_alice.get("/roadmap/templates/?competency=reviews"))
    assert "Review like a senior" in said
    assert "Ship a feature" not in said
    said = words(as_alice.get("/roadmap/templates/?step=l3"))
    assert "Review like a senior" in said
    assert "Ship a feature" not in said
    said = words(as_alice.get("/roadmap/templates/?q=senior"))
    assert "Review like a senior" in said
    assert "Ship a feature" not in said
    assert "No template matches" in words(as_alice.get("/roadmap/templates/?framework=nope"))


def test_the_library_search_form_offers_the_members_competencies_and_steps(placement, as_alice):
    html = text(as_alice.get("/roadmap/templates/"))
    assert re.search(r'<option value="shipping">Shipping</option>', html)
    assert re.search(r'<option value="l2">L2 Level 2</option>', html)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_library_costs_the_same_queries_as_templates_grow(placement, alice, as_alice):
    first = TemplateFactory.create()
    services.apply_template(template=first, placement=placement, by=alice)
    before = _queries(as_alice, "/roadmap/templates/")
    for _ in range(6):
        template = TemplateFactory.create()
        services.apply_template(template=template, placement=placement, by=alice)
        services.rate_template(template=template, by=alice, stars=5)
    assert _queries(as_alice, "/roadmap/templates/") == before


def test_the_library_query_budget(placement, as_alice, django_assert_num_queries):
    TemplateFactory.create()
    as_alice.get("/roadmap/templates/")
    # 1 session, 2 user, 3 current membership, 4 active placement, 5 membership of the
    # organization (its own templates), 6 count, 7 may write templates, 8 admin (templates
    # to review), 9 the page with applied counts and ratings, 10 the nav's memberships,
    # 11 unread notifications.
    with django_assert_num_queries(11):
        as_alice.get("/roadmap/templates/")


def test_an_organizations_templates_are_for_its_members_only(acme, ada, as_alice, as_eve):
    mine = TemplateFactory.create(
        organization=acme, key="acme-ship", title="Acme's own shipping plan"
    )
    assert "Acme's own shipping plan" in words(as_alice.get("/roadmap/templates/"))
    assert "Acme's own shipping plan" not in words(as_eve.get("/roadmap/templates/"))
    assert as_eve.get(f"/roadmap/templates/{mine.pk}/").status_code == 404
    assert as_alice.get(f"/roadmap/templates/{mine.pk}/").status_code == 200


# --- A template ----------------------------------------------------------------------------------


def test_a_template_shows_its_plan_author_and_usage(library, placement, as_alice):
    response = as_alice.get(f"/roadmap/templates/{library.pk}/")
    said = words(response)
    assert response.status_code == 200
    assert SPECIFIC in said
    assert "Week 2: Plan reviewed" in said
    assert "By Upward library" in said
    assert "Applied 0 times" in said
    assert "Rate it" not in said  # not applied yet
    assert_no_inline_code(response)


def test_applying_a_template_adds_its_objectives_then_offers_to_rate_it(
    library, placement, as_alice
):
    response = as_alice.post(f"/roadmap/templates/{library.pk}/apply/", {"start": ""})
    assert response.status_code == 302
    assert response["Location"] == "/roadmap/"
    made = Objective.objects.get(owner=placement.user)
    assert made.template == library
    assert made.milestones.count() == 2
    page = as_alice.get(f"/roadmap/templates/{library.pk}/")
    assert "Rate it" in words(page)
    response = as_alice.post(f"/roadmap/templates/{library.pk}/rate/", {"stars": "5"})
    assert response.status_code == 302
    assert TemplateRating.objects.get(template=library).stars == 5
    assert "Your rating" in words(as_alice.get(f"/roadmap/templates/{library.pk}/"))


def test_applying_with_a_start_in_the_past_is_refused_on_its_field(library, placement, as_alice):
    response = as_alice.post(f"/roadmap/templates/{library.pk}/apply/", {"start": "2001-01-01"})
    assert response.status_code == 422
    assert response.context["apply_form"].errors["start"]
    assert not Objective.objects.exists()


def test_rating_a_template_not_applied_is_refused(library, placement, as_alice):
    response = as_alice.post(f"/roadmap/templates/{library.pk}/rate/", {"stars": "5"})
    assert response.status_code == 409
    assert response.context["rate_form"].non_field_errors()
    assert not TemplateRating.objects.exists()


def test_rating_needs_stars_between_1_and_5(library, placement, alice, as_alice):
    services.apply_template(template=library, placement=placement, by=alice)
    response = as_alice.post(f"/roadmap/templates/{library.pk}/rate/", {"stars": "9"})
    assert response.status_code == 422
    assert response.context["rate_form"].errors["stars"]


# --- Writing and reviewing templates -------------------------------------------------------------


def test_a_member_cannot_write_templates(placement, as_alice):
    assert as_alice.get("/roadmap/templates/new/").status_code == 404
    assert as_alice.post("/roadmap/templates/new/", template_data()).status_code == 404
    assert not RoadmapTemplate.objects.exists()


def test_an_admin_writes_a_draft_submits_it_and_a_second_admin_publishes_it(
    ladder, ada, other_admin, as_ada
):
    response = as_ada.post("/roadmap/templates/new/", template_data())
    assert response.status_code == 302
    template = RoadmapTemplate.objects.get()
    assert template.status == TemplateStatus.DRAFT
    assert template.objectives[0]["milestones"] == [
        {"title": "Plan reviewed", "week": 2},
        {"title": "Released", "week": 8},
    ]
    listed = words(as_ada.get("/roadmap/templates/"))
    assert "Your templates Own a release Draft" in listed
    assert as_ada.post(f"/roadmap/templates/{template.pk}/submit/").status_code == 302
    template.refresh_from_db()
    assert template.status == TemplateStatus.IN_REVIEW
    # The author may not review it: the page offers no review, and a post is refused.
    assert "Send the review" not in words(as_ada.get(f"/roadmap/templates/{template.pk}/"))
    response = as_ada.post(f"/roadmap/templates/{template.pk}/review/", {"decision": "approve"})
    assert response.status_code == 409
    grace = client_for(other_admin)
    assert "Waiting for your review" in words(grace.get("/roadmap/templates/"))
    page = grace.get(f"/roadmap/templates/{template.pk}/")
    assert "Send the review" in words(page)
    response = grace.post(f"/roadmap/templates/{template.pk}/review/", {"decision": "approve"})
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.status == TemplateStatus.PUBLISHED
    assert template.reviewed_by == other_admin


def test_returning_a_template_needs_a_note_for_its_author(ladder, ada, other_admin, as_ada):
    as_ada.post("/roadmap/templates/new/", template_data())
    template = RoadmapTemplate.objects.get()
    services.submit_template(template=template, by=ada)
    grace = client_for(other_admin)
    response = grace.post(f"/roadmap/templates/{template.pk}/review/", {"decision": "return"})
    assert response.status_code == 422
    assert response.context["review_form"].errors["note"]
    response = grace.post(
        f"/roadmap/templates/{template.pk}/review/",
        {"decision": "return", "note": "Add a measure to the second milestone."},
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.status == TemplateStatus.DRAFT
    assert "Add a measure to the second milestone." in words(
        as_ada.get(f"/roadmap/templates/{template.pk}/")
    )


def test_a_vague_objective_cannot_be_published_and_the_review_says_which(
    ladder, ada, other_admin, as_ada
):
    as_ada.post(
        "/roadmap/templates/new/",
        template_data(**{"objectives[0].title": "Read a book on leadership"}),
    )
    template = RoadmapTemplate.objects.get()
    services.submit_template(template=template, by=ada)
    grace = client_for(other_admin)
    response = grace.post(f"/roadmap/templates/{template.pk}/review/", {"decision": "approve"})
    assert response.status_code == 422
    assert response.context["review_form"].non_field_errors()
    template.refresh_from_db()
    assert template.status == TemplateStatus.IN_REVIEW


def test_a_template_form_error_lands_on_the_objective_field_named(ladder, as_ada):
    data = template_data(**{"objectives[0].timebox_weeks": "40"})
    response = as_ada.post("/roadmap/templates/new/", data)
    assert response.status_code == 422
    assert response.context["form"].errors["objectives[0].timebox_weeks"]
    assert not RoadmapTemplate.objects.exists()
    assert_no_inline_code(response)


def test_a_step_the_framework_does_not_have_is_refused_on_its_field(ladder, as_ada):
    response = as_ada.post("/roadmap/templates/new/", template_data(to_step="l9"))
    assert response.status_code == 422
    assert response.context["form"].errors["to_step"]


def test_milestones_without_a_week_are_refused_naming_the_line(ladder, as_ada):
    data = template_data(**{"objectives[0].milestones": "Plan reviewed"})
    response = as_ada.post("/roadmap/templates/new/", data)
    assert response.status_code == 422
    assert "Line 1" in " ".join(response.context["form"].errors["objectives[0].milestones"])


def test_the_author_edits_a_draft_but_not_once_it_is_in_review(ladder, ada, as_ada):
    as_ada.post("/roadmap/templates/new/", template_data())
    template = RoadmapTemplate.objects.get()
    edit = f"/roadmap/templates/{template.pk}/edit/"
    assert 'value="Own a release"' in text(as_ada.get(edit))
    response = as_ada.post(edit, template_data(title="Own a release, start to finish"))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.title == "Own a release, start to finish"
    services.submit_template(template=template, by=ada)
    response = as_ada.post(edit, template_data(title="Changed in review"))
    assert response.status_code in (404, 409)
    template.refresh_from_db()
    assert template.title == "Own a release, start to finish"


def test_a_staff_template_for_the_library_is_checked_against_library_frameworks(ladder):
    staff = make_user("staff@upward.test", "Sam")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    client = client_for(staff)
    assert "Publish to the Upward library" in words(client.get("/roadmap/templates/new/"))
    # Only Acme has the "tiny" framework: a library template can't be written for it.
    response = client.post("/roadmap/templates/new/", template_data(library="on"))
    assert response.status_code == 422
    assert "tiny" in " ".join(response.context["form"].errors["framework_key"])
    assert not RoadmapTemplate.objects.exists()


def test_another_organization_gets_404_from_every_template_route(ladder, ada, as_eve):
    as_ada_template = services.create_template(
        by=ada,
        organization=ladder.framework.organization,
        framework_key="tiny",
        competency="shipping",
        track="ic",
        from_step="l1",
        to_step="l2",
        title="Acme only",
        summary="",
        duration_weeks=8,
        evidence=[],
        objectives=[template_objective()],
    )
    base = f"/roadmap/templates/{as_ada_template.pk}/"
    for route in (
        base,
        base + "edit/",
        base + "apply/",
        base + "rate/",
        base + "submit/",
        base + "review/",
    ):
        assert as_eve.get(route).status_code == 404, route
        if route != base:  # the page itself only reads (405 for everyone)
            assert as_eve.post(route, {"stars": "5", "decision": "approve"}).status_code == 404
    as_ada_template.refresh_from_db()
    assert as_ada_template.status == TemplateStatus.DRAFT


def test_the_library_opens_on_the_members_own_framework(alice, placement, library):
    TemplateFactory.create(framework_key="elsewhere", title="Run a design critique")
    opened = words(client_for(alice).get("/roadmap/templates/"))
    assert "Ship a feature end to end" in opened
    assert "Run a design critique" not in opened
    everything = words(client_for(alice).get("/roadmap/templates/?framework="))
    assert "Ship a feature end to end" in everything
    assert "Run a design critique" in everything
