"""An objective's page: reading and editing it with the specificity check, its status
(start, mark done, drop, reopen), its milestones checklist, a new objective, the live
check, and asking its stakeholders for feedback once it is done."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from upward.core.tests.pages import HTMX, assert_no_inline_code, text, words
from upward.core.visibility import Tier
from upward.roadmaps import services
from upward.roadmaps.models import Milestone, Objective, Stakeholder, Status
from upward.roadmaps.services import MilestoneIn, StakeholderIn
from upward.roadmaps.tests.factories import SPECIFIC

VAGUE = "Improve my communication"


def soon(days: int = 30) -> date:
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def objective(placement, bob):
    return services.create_objective(
        owner=placement.user,
        placement=placement,
        title=SPECIFIC,
        competencies=["shipping"],
        due_on=soon(),
        stakeholders=[StakeholderIn(user_id=bob.pk), StakeholderIn(email="pat@partner.example")],
        milestones=[MilestoneIn("Plan reviewed", soon(7)), MilestoneIn("Released", soon(25))],
    )


def url(objective, action=""):
    return f"/roadmap/objectives/{objective.pk}/" + (f"{action}/" if action else "")


def edit_data(objective, **changes):
    data = {
        "action": "save",
        "title": objective.title,
        "description": objective.description,
        "kind": objective.kind,
        "competencies": list(objective.competencies),
        "target_step": objective.target_step,
        "success_criteria": "",
        "due_on": objective.due_on.isoformat() if objective.due_on else "",
        "quarter": objective.quarter,
        "stakeholders": "bob@acme.test\npat@partner.example",
        "visibility": objective.visibility,
    }
    data.update(changes)
    return data


# --- Reading -------------------------------------------------------------------------------------


def test_the_owner_sees_the_objective_with_its_milestones_check_and_edit_form(objective, as_alice):
    response = as_alice.get(url(objective))
    said = words(response)
    assert response.status_code == 200
    assert SPECIFIC in said
    assert "Plan reviewed" in said
    assert "Specific" in said
    assert 'name="title"' in text(response)
    assert 'hx-post="/roadmap/check/"' in text(response)
    assert f'href="/roadmap/objectives/{objective.pk}.ics"' in text(response)
    assert_no_inline_code(response)


def test_the_manager_reads_an_objective_shared_with_them_without_editing_it(objective, as_bob):
    response = as_bob.get(url(objective))
    assert response.status_code == 200
    assert SPECIFIC in words(response)
    assert 'name="title"' not in text(response)
    assert "Mark done" not in words(response)
    assert as_bob.post(url(objective), edit_data(objective, title="Mine now")).status_code == 404
    objective.refresh_from_db()
    assert objective.title == SPECIFIC


def test_a_private_objective_is_404_for_the_manager_and_the_organization(
    objective, alice, as_bob, as_maya, as_ada
):
    services.update_objective(objective=objective, by=alice, visibility=Tier.PRIVATE)
    for client in (as_bob, as_maya, as_ada):
        assert client.get(url(objective)).status_code == 404


def test_another_organization_gets_404_from_every_objective_route(objective, as_eve):
    milestone = objective.milestones.first()
    routes = [url(objective, a) for a in ("", "start", "complete", "drop", "reopen", "delete")]
    routes += [url(objective, "milestones")]
    routes += [
        f"/roadmap/milestones/{milestone.pk}/done/",
        f"/roadmap/milestones/{milestone.pk}/delete/",
    ]
    assert as_eve.get(f"/roadmap/objectives/{objective.pk}.ics").status_code == 404
    for route in routes:
        assert as_eve.get(route).status_code == 404, route
        assert as_eve.post(route, {"done": "on", "reason": "x", "note": "x"}).status_code == 404, (
            route
        )
    objective.refresh_from_db()
    assert objective.status == Status.PLANNED
    assert Milestone.objects.filter(objective=objective, done_at__isnull=True).count() == 2


def test_a_missing_objective_is_404(alice, as_alice):
    assert as_alice.get("/roadmap/objectives/999999/").status_code == 404


# --- Editing -------------------------------------------------------------------------------------


def test_the_owner_edits_the_objective_and_its_stakeholders(objective, as_alice):
    title = "Lead the invoice export rewrite with the Billing team within ten weeks"
    data = edit_data(objective, title=title, stakeholders="Billing team lead\nbob@acme.test")
    response = as_alice.post(url(objective), data)
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.title == title
    names = list(Stakeholder.objects.filter(objective=objective).values_list("name", flat=True))
    assert names == ["Billing team lead", "Bob"]


def test_an_empty_title_re_renders_the_form_with_the_error_on_the_title(objective, as_alice):
    response = as_alice.post(url(objective), edit_data(objective, title=""))
    assert response.status_code == 422
    assert response.context["form"].errors["title"]
    assert_no_inline_code(response)
    objective.refresh_from_db()
    assert objective.title == SPECIFIC


def test_a_new_deadline_in_the_past_is_refused_on_the_due_on_field(objective, as_alice):
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    response = as_alice.post(url(objective), edit_data(objective, due_on=past))
    assert response.status_code == 422
    assert "in the past" in " ".join(response.context["form"].errors["due_on"])
    objective.refresh_from_db()
    assert objective.due_on == soon()


def test_a_competency_outside_the_framework_is_refused_on_its_field(objective, as_alice):
    response = as_alice.post(url(objective), edit_data(objective, competencies=["juggling"]))
    assert response.status_code == 422
    assert response.context["form"].errors["competencies"]


def test_a_quarter_written_wrongly_is_refused_on_its_field(objective, as_alice):
    response = as_alice.post(url(objective), edit_data(objective, quarter="next spring"))
    assert response.status_code == 422
    assert "2027-Q3" in " ".join(response.context["form"].errors["quarter"])


def test_check_without_javascript_shows_the_typed_objective_checked_without_saving(
    objective, as_alice
):
    response = as_alice.post(url(objective), edit_data(objective, title=VAGUE, action="check"))
    assert response.status_code == 200
    assert "Still vague" in words(response)
    objective.refresh_from_db()
    assert objective.title == SPECIFIC


# --- The live check ------------------------------------------------------------------------------


def test_the_live_check_answers_a_fragment_with_score_missing_elements_and_suggestions(
    placement, as_alice
):
    response = as_alice.post("/roadmap/check/", {"title": VAGUE}, **HTMX)
    html = text(response)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="check"')
    assert "Still vague" in words(response)
    assert "/100" in words(response)
    assert "Missing:" in words(response)
    assert "Suggestions:" in words(response)
    assert "<html" not in html


def test_the_live_check_calls_a_concrete_objective_specific(placement, as_alice):
    response = as_alice.post("/roadmap/check/", {"title": SPECIFIC}, **HTMX)
    assert "Specific" in words(response)
    assert "Missing:" not in words(response)


def test_the_live_check_reads_one_proposal_of_several_by_its_prefix(placement, as_alice):
    data = {"p0-title": SPECIFIC, "p1-title": VAGUE, "p1-competency": "shipping"}
    response = as_alice.post("/roadmap/check/?prefix=p1-", data, **HTMX)
    assert 'id="check-p1"' in text(response)
    assert "Still vague" in words(response)


def test_the_live_check_only_takes_posts(alice, as_alice):
    assert as_alice.get("/roadmap/check/").status_code == 405


# --- Status --------------------------------------------------------------------------------------


def test_start_makes_the_objective_active(objective, as_alice):
    response = as_alice.post(url(objective, "start"))
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.status == Status.ACTIVE


def test_starting_twice_shows_the_conflict_on_the_page(objective, alice, as_alice):
    services.start_objective(objective=objective, by=alice)
    response = as_alice.post(url(objective, "start"))
    assert response.status_code == 409
    assert response.context["action_form"].non_field_errors()


def test_marking_done_needs_a_link_or_a_note_and_says_so_in_place(objective, as_alice):
    response = as_alice.post(url(objective, "complete"), {"link": "", "note": ""})
    assert response.status_code == 422
    assert response.context["complete_form"].errors["link"]
    assert re.search(r'<details id="complete"[^>]* open', text(response))
    objective.refresh_from_db()
    assert objective.status == Status.PLANNED


def test_marking_done_then_offers_to_ask_its_stakeholders_for_feedback_prefilled(
    objective, bob, as_alice
):
    response = as_alice.post(
        url(objective, "complete"),
        {"link": "https://docs.example.com/billing-export", "note": "Shipped to all."},
    )
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.status == Status.DONE
    assert objective.completion_link == "https://docs.example.com/billing-export"
    page = as_alice.get(response["Location"])
    link = re.search(r'href="([^"]+)">Ask its stakeholders for feedback', text(page))
    assert link, words(page)
    parts = urlsplit(link.group(1))
    assert parts.path == f"/growth/placement/{objective.placement_id}/feedback/new/"
    query = parse_qs(parts.query)
    assert query == {
        "competency": ["shipping"],
        "rater": [str(bob.pk)],
        "email": ["pat@partner.example"],
    }


def test_the_feedback_form_opens_prefilled_from_the_objective(objective, bob, as_alice):
    services.complete_objective(objective=objective, by=objective.owner, note="Shipped.")
    query = f"?competency=shipping&rater={bob.pk}&email=pat@partner.example"
    response = as_alice.get(f"/growth/placement/{objective.placement_id}/feedback/new/{query}")
    html = text(response)
    assert re.search(rf'<option value="{bob.pk}"[^>]* selected', html)
    assert re.search(r"<textarea[^>]*name=\"email\"[^>]*>\s*pat@partner.example", html)
    assert re.search(r'<input[^>]*value="shipping"[^>]*checked', html)


def test_the_feedback_form_ignores_people_outside_the_organization(placement, eve, as_alice):
    response = as_alice.get(f"/growth/placement/{placement.pk}/feedback/new/?rater={eve.pk}")
    assert response.status_code == 200
    assert f'value="{eve.pk}"' not in text(response)


def test_dropping_needs_a_reason_and_keeps_it(objective, as_alice):
    response = as_alice.post(url(objective, "drop"), {"reason": ""})
    assert response.status_code == 422
    assert response.context["drop_form"].errors["reason"]
    response = as_alice.post(url(objective, "drop"), {"reason": "The team was reorganised."})
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.status == Status.DROPPED
    assert objective.dropped_reason == "The team was reorganised."
    assert "The team was reorganised." in words(as_alice.get(url(objective)))


def test_a_dropped_objective_can_be_reopened(objective, alice, as_alice):
    services.drop_objective(objective=objective, by=alice, reason="Paused.")
    assert as_alice.post(url(objective, "reopen")).status_code == 302
    objective.refresh_from_db()
    assert objective.status in (Status.PLANNED, Status.ACTIVE)


def test_deleting_removes_the_objective(objective, as_alice):
    response = as_alice.post(url(objective, "delete"))
    assert response.status_code == 302
    assert response["Location"] == "/roadmap/"
    assert not Objective.objects.filter(pk=objective.pk).exists()


def test_a_get_of_an_action_goes_back_to_the_objective(objective, as_alice):
    for action in ("start", "complete", "drop", "reopen", "delete", "milestones"):
        response = as_alice.get(url(objective, action))
        assert response.status_code == 302
        assert response["Location"].startswith(url(objective))
    objective.refresh_from_db()
    assert objective.status == Status.PLANNED


# --- Milestones ----------------------------------------------------------------------------------


def test_ticking_a_milestone_with_htmx_answers_the_checklist_alone(objective, as_alice):
    milestone = objective.milestones.first()
    response = as_alice.post(f"/roadmap/milestones/{milestone.pk}/done/", {"done": "on"}, **HTMX)
    assert response.status_code == 200
    html = text(response)
    assert html.lstrip().startswith('<section id="milestones"')
    assert "Undo" in words(response)
    milestone.refresh_from_db()
    assert milestone.done_at is not None


def test_ticking_a_milestone_without_javascript_comes_back_to_the_checklist(objective, as_alice):
    milestone = objective.milestones.first()
    response = as_alice.post(f"/roadmap/milestones/{milestone.pk}/done/", {"done": "on"})
    assert response.status_code == 302
    assert response["Location"] == url(objective) + "#milestones"
    response = as_alice.post(f"/roadmap/milestones/{milestone.pk}/done/", {"done": ""})
    milestone.refresh_from_db()
    assert milestone.done_at is None


def test_a_manager_cannot_tick_a_reports_milestone(objective, as_bob):
    milestone = objective.milestones.first()
    assert (
        as_bob.post(f"/roadmap/milestones/{milestone.pk}/done/", {"done": "on"}).status_code == 404
    )
    milestone.refresh_from_db()
    assert milestone.done_at is None


def test_adding_a_milestone_after_the_deadline_is_refused_on_its_date(objective, as_alice):
    data = {"milestone-title": "Retrospective", "milestone-due_on": soon(90).isoformat()}
    response = as_alice.post(url(objective, "milestones"), data, **HTMX)
    assert response.status_code == 422
    assert response.context["milestone_form"].errors["due_on"]
    assert objective.milestones.count() == 2
    response = as_alice.post(
        url(objective, "milestones"), {"milestone-title": "Retrospective"}, **HTMX
    )
    assert response.status_code == 200
    assert "Retrospective" in words(response)
    assert objective.milestones.count() == 3


def test_deleting_a_milestone(objective, as_alice):
    milestone = objective.milestones.first()
    assert as_alice.post(f"/roadmap/milestones/{milestone.pk}/delete/").status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


# --- A new objective -----------------------------------------------------------------------------


def test_a_new_objective_opens_on_the_gap_it_was_asked_for(placement, as_alice):
    response = as_alice.get("/roadmap/objectives/new/?competency=reviews")
    html = text(response)
    assert response.status_code == 200
    assert re.search(r'<input[^>]*value="reviews"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="shipping"[^>]*checked', html)
    assert_no_inline_code(response)


def new_data(**changes):
    data = {
        "action": "save",
        "title": SPECIFIC,
        "description": "",
        "kind": "initiative",
        "competencies": ["shipping"],
        "target_step": "",
        "success_criteria": "Released to every customer\nNo rollback",
        "due_on": soon(60).isoformat(),
        "quarter": "",
        "stakeholders": "Payments team lead <lee@partner.example>\nbob@acme.test",
        "milestones": f"{soon(10).isoformat()} Plan reviewed\nFirst slice shipped",
        "visibility": "manager",
    }
    data.update(changes)
    return data


def test_a_member_adds_an_objective_with_milestones_and_stakeholders(placement, bob, as_alice):
    response = as_alice.post("/roadmap/objectives/new/", new_data())
    made = Objective.objects.get(owner=placement.user)
    assert response.status_code == 302
    assert response["Location"] == url(made)
    assert made.success_criteria == ["Released to every customer", "No rollback"]
    assert list(made.milestones.values_list("title", "due_on")) == [
        ("Plan reviewed", soon(10)),
        ("First slice shipped", None),
    ]
    people = list(made.stakeholders.values_list("name", "email", "user_id"))
    assert people == [("Payments team lead", "lee@partner.example", None), ("Bob", "", bob.pk)]


def test_a_new_objective_without_competencies_is_refused_on_that_field(placement, as_alice):
    response = as_alice.post("/roadmap/objectives/new/", new_data(competencies=[]))
    assert response.status_code == 422
    assert response.context["form"].errors["competencies"]
    assert not Objective.objects.exists()


def test_a_milestone_after_the_deadline_is_refused_on_the_milestones_field(placement, as_alice):
    late = f"{soon(200).isoformat()} Far too late"
    response = as_alice.post("/roadmap/objectives/new/", new_data(milestones=late))
    assert response.status_code == 422
    assert response.context["form"].errors["milestones"]
    assert not Objective.objects.exists()


def test_a_milestone_date_that_is_not_a_date_is_refused_naming_the_line(placement, as_alice):
    response = as_alice.post("/roadmap/objectives/new/", new_data(milestones="2027-13-45 Oops"))
    assert response.status_code == 422
    assert "Line 1" in " ".join(response.context["form"].errors["milestones"])


def test_a_stakeholders_email_that_is_not_one_is_refused_on_that_field(placement, as_alice):
    response = as_alice.post("/roadmap/objectives/new/", new_data(stakeholders="Lee <lee@nowhere>"))
    assert response.status_code == 422
    assert response.context["form"].errors["stakeholders"]


def test_check_on_a_new_objective_without_javascript_adds_nothing(placement, as_alice):
    response = as_alice.post("/roadmap/objectives/new/", new_data(action="check", title=VAGUE))
    assert response.status_code == 200
    assert "Still vague" in words(response)
    assert f'value="{VAGUE}"' in text(response)
    assert not Objective.objects.exists()


def test_a_new_objective_without_a_placement_sends_the_member_to_place_themselves(alice, as_alice):
    response = as_alice.get("/roadmap/objectives/new/")
    assert response.status_code == 302
    assert response["Location"] == "/growth/placement/"


def test_the_objective_page_query_budget(objective, as_alice, django_assert_num_queries):
    # 1 session, 2 user, 3 the objective (with owner, organization, placement, version),
    # 4 its milestones, 5 its stakeholders, 6 their accounts, 7 current membership,
    # 8 the nav's memberships, 9 unread notifications, 10 the evidence naming it.
    with django_assert_num_queries(10):
        as_alice.get(url(objective))
