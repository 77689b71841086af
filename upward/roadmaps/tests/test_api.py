"""The roadmap API: objectives, milestones, proposals and templates under
/orgs/{slug}/roadmap/, the specificity check and the calendar address."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any, cast

import pytest
from django.test import Client
from django.utils import timezone

from upward.assessments import services as assessments
from upward.assessments.services import Rating
from upward.core.models import AuditEvent
from upward.roadmaps import services
from upward.roadmaps.models import (
    CalendarFeed,
    Milestone,
    Objective,
    RoadmapTemplate,
    Stakeholder,
    TemplateRating,
    TemplateStatus,
)
from upward.roadmaps.tests.factories import SPECIFIC, TemplateFactory, template_objective

API = "/api/v1/orgs/acme/roadmap"
TODAY = timezone.localdate()
DEADLINE = TODAY + timedelta(days=60)
VAGUE = "Read a book on leadership"


def published_template(**fields: Any) -> RoadmapTemplate:
    """A published template (of the library, shipping l1 -> l2, unless `fields` say otherwise)."""
    return cast(RoadmapTemplate, TemplateFactory(**fields))


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json")


def error_path(response: Any) -> str:
    return response.json()["error"]["fields"][0]["path"]


def stored() -> tuple[int, ...]:
    """What any write would change."""
    return (
        Objective.objects.count(),
        Milestone.objects.count(),
        Stakeholder.objects.count(),
        RoadmapTemplate.objects.count(),
        TemplateRating.objects.count(),
        AuditEvent.objects.count(),
    )


def objective_body(placement: Any, **changes: Any) -> dict[str, Any]:
    body = {
        "placement_id": placement.pk,
        "title": SPECIFIC,
        "description": "Own the plan and the release.",
        "kind": "initiative",
        "competencies": ["shipping"],
        "success_criteria": ["Released to every customer"],
        "due_on": DEADLINE.isoformat(),
        "stakeholders": [{"name": "Payments team"}, {"email": "pat@partner.test"}],
        "milestones": [{"title": "Plan reviewed", "due_on": str(TODAY + timedelta(days=7))}],
        "visibility": "manager",
    }
    body.update(changes)
    return body


def make(placement: Any, alice: Any, **changes: Any) -> Objective:
    fields: dict[str, Any] = {
        "title": SPECIFIC,
        "competencies": ["shipping"],
        "due_on": DEADLINE,
        "milestones": [services.MilestoneIn("Plan reviewed", TODAY + timedelta(days=7))],
    }
    fields.update(changes)
    return services.create_objective(owner=alice, placement=placement, **fields)


# Objectives ---------------------------------------------------------------------------


def test_a_member_adds_an_objective_with_its_milestones_and_stakeholders(as_alice, placement):
    response = send(as_alice, "post", f"{API}/objectives", objective_body(placement))
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["status"] == "planned"
    assert made["target_step"] == "l2"  # what the target level expects of shipping
    assert [m["title"] for m in made["milestones"]] == ["Plan reviewed"]
    assert made["milestones"][0]["done"] is False
    assert [s["name"] for s in made["stakeholders"]] == ["Payments team", "pat@partner.test"]
    assert send(as_alice, "get", f"{API}/objectives/{made['id']}").json() == made


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"competencies": ["cooking"]}, "body.competencies"),
        ({"competencies": []}, "body.competencies"),
        ({"target_step": "l9"}, "body.target_step"),
        ({"title": "   "}, "body.title"),
        ({"due_on": (TODAY - timedelta(days=1)).isoformat()}, "body.due_on"),
        ({"due_on": None, "quarter": "2020-Q1"}, "body.quarter"),
        (
            {"milestones": [{"title": "Late", "due_on": str(DEADLINE + timedelta(days=1))}]},
            "body.milestones[0].due_on",
        ),
        ({"stakeholders": [{"user_id": 999_999}]}, "body.stakeholders[0].user_id"),
        ({"stakeholders": [{"name": "x", "email": "not an address"}]}, "body.stakeholders.0.email"),
        ({"kind": "hobby"}, "body.kind"),
        ({"visibility": "everyone"}, "body.visibility"),
        ({"due_on": "next week"}, "body.due_on"),
        ({"quarter": "Q3"}, "body.quarter"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(as_alice, placement, changes, path):
    before = stored()
    response = send(as_alice, "post", f"{API}/objectives", objective_body(placement, **changes))
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid"
    assert error_path(response) == path
    assert stored() == before


def test_nobody_adds_objectives_to_someone_elses_placement(as_bob, as_alice, placement):
    before = stored()
    assert send(as_bob, "post", f"{API}/objectives", objective_body(placement)).status_code == 404
    # Alice's own placement, but through her personal space: it belongs to Acme.
    url = "/api/v1/orgs/alice/roadmap/objectives"
    assert send(as_alice, "post", url, objective_body(placement)).status_code == 404
    assert stored() == before


def test_an_objective_is_found_only_under_its_own_organization(as_alice, alice, placement):
    objective = make(placement, alice)
    assert as_alice.get(f"{API}/objectives/{objective.pk}").status_code == 200
    response = as_alice.get(f"/api/v1/orgs/alice/roadmap/objectives/{objective.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_list_holds_my_objectives_filtered_by_status_and_competency(as_alice, alice, placement):
    shipping = make(placement, alice)
    reviews = make(placement, alice, competencies=["reviews"], title=SPECIFIC + " twice")
    services.start_objective(objective=reviews, by=alice)

    def ids(query: str = "") -> list[int]:
        response = as_alice.get(f"{API}/objectives{query}")
        assert response.status_code == 200, response.content
        return [o["id"] for o in response.json()["items"]]

    assert sorted(ids()) == sorted([shipping.pk, reviews.pk])
    assert ids("?status=active") == [reviews.pk]
    assert ids("?competency=shipping") == [shipping.pk]
    assert ids("?status=done") == []
    assert as_alice.get(f"{API}/objectives?status=finished").status_code == 422


def test_the_list_puts_the_soonest_deadline_first_and_undated_work_last(as_alice, alice, placement):
    undated = make(placement, alice, due_on=None, milestones=[], title=SPECIFIC + " someday")
    later = make(placement, alice, title=SPECIFIC + " later")
    sooner = make(placement, alice, due_on=TODAY + timedelta(days=10), milestones=[])
    items = as_alice.get(f"{API}/objectives").json()["items"]
    assert [o["id"] for o in items] == [sooner.pk, later.pk, undated.pk]
    second_page = as_alice.get(f"{API}/objectives?page=2&page_size=2").json()
    assert [o["id"] for o in second_page["items"]] == [undated.pk]
    assert second_page["count"] == 3


def test_a_manager_lists_a_reports_roadmap_without_her_private_objectives(as_bob, alice, placement):
    shared = make(placement, alice)
    make(placement, alice, visibility="private", title=SPECIFIC + " alone")
    response = as_bob.get(f"{API}/objectives?placement_id={placement.pk}")
    assert response.status_code == 200, response.content
    assert [o["id"] for o in response.json()["items"]] == [shared.pk]
    # Without a placement, the list is the caller's own: Bob has none.
    assert as_bob.get(f"{API}/objectives").json()["count"] == 0


def test_a_manager_reads_what_is_shared_with_him_and_nothing_private(as_bob, alice, placement):
    shared = make(placement, alice)
    private = make(placement, alice, visibility="private", title=SPECIFIC + " alone")
    assert as_bob.get(f"{API}/objectives/{shared.pk}").status_code == 200
    assert as_bob.get(f"{API}/objectives/{private.pk}").status_code == 404


def test_someone_in_the_organization_reads_only_what_is_shared_with_everyone(
    as_maya, alice, placement
):
    manager = make(placement, alice)
    everyone = make(placement, alice, visibility="organization", title=SPECIFIC + " open")
    assert as_maya.get(f"{API}/objectives/{manager.pk}").status_code == 404
    assert as_maya.get(f"{API}/objectives/{everyone.pk}").status_code == 200
    assert as_maya.get(f"{API}/objectives?placement_id={placement.pk}").status_code == 404


def test_the_owner_changes_an_objective_and_a_bad_value_changes_nothing(as_alice, alice, placement):
    objective = make(placement, alice)
    url = f"{API}/objectives/{objective.pk}"
    response = send(
        as_alice,
        "patch",
        url,
        {"title": SPECIFIC + " by June", "stakeholders": [{"name": "Design"}], "kind": None},
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == SPECIFIC + " by June"
    assert response.json()["kind"] == "initiative"  # null leaves it as it was
    assert [s["name"] for s in response.json()["stakeholders"]] == ["Design"]
    before = stored()
    response = send(as_alice, "patch", url, {"title": "Fine", "competencies": ["cooking"]})
    assert response.status_code == 422
    assert error_path(response) == "body.competencies"
    assert stored() == before
    objective.refresh_from_db()
    assert objective.title == SPECIFIC + " by June"


def test_a_milestone_past_a_new_deadline_refuses_the_change(as_alice, alice, placement):
    objective = make(placement, alice)
    url = f"{API}/objectives/{objective.pk}"
    response = send(as_alice, "patch", url, {"due_on": (TODAY + timedelta(days=3)).isoformat()})
    assert response.status_code == 422
    assert error_path(response).startswith("body.")
    objective.refresh_from_db()
    assert objective.due_on == DEADLINE


def test_only_the_owner_changes_or_deletes_an_objective(as_bob, as_alice, alice, placement):
    objective = make(placement, alice)
    url = f"{API}/objectives/{objective.pk}"
    before = stored()
    assert send(as_bob, "patch", url, {"title": "Mine now"}).status_code == 404
    assert as_bob.delete(url).status_code == 404
    assert send(as_bob, "post", f"{url}/start").status_code == 404
    assert stored() == before
    assert as_alice.delete(url).status_code == 204
    assert not Objective.objects.filter(pk=objective.pk).exists()
    assert as_alice.get(url).status_code == 404


def test_an_objective_starts_completes_reopens_and_drops(as_alice, alice, placement):
    url = f"{API}/objectives/{make(placement, alice).pk}"
    assert send(as_alice, "post", f"{url}/start").json()["status"] == "active"
    again = send(as_alice, "post", f"{url}/start")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"

    empty = send(as_alice, "post", f"{url}/complete", {})
    assert empty.status_code == 422
    assert error_path(empty) == "body.link"
    done = send(as_alice, "post", f"{url}/complete", {"note": "Shipped on the 4th"})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done"
    assert done.json()["completion_note"] == "Shipped on the 4th"
    assert send(as_alice, "post", f"{url}/drop", {"reason": "No"}).status_code == 409

    assert send(as_alice, "post", f"{url}/reopen").json()["status"] == "active"
    no_reason = send(as_alice, "post", f"{url}/drop", {"reason": " "})
    assert no_reason.status_code == 422
    assert error_path(no_reason) == "body.reason"
    dropped = send(as_alice, "post", f"{url}/drop", {"reason": "The team changed plans"})
    assert dropped.json()["status"] == "dropped"
    assert dropped.json()["dropped_reason"] == "The team changed plans"


# Milestones ---------------------------------------------------------------------------


def test_milestones_are_added_ticked_redated_and_removed(as_alice, alice, placement):
    objective = make(placement, alice, milestones=[])
    created = send(
        as_alice,
        "post",
        f"{API}/objectives/{objective.pk}/milestones",
        {"title": "Demo to the team", "due_on": (TODAY + timedelta(days=20)).isoformat()},
    )
    assert created.status_code == 201, created.content
    url = f"{API}/milestones/{created.json()['id']}"

    ticked = send(as_alice, "patch", url, {"done": True})
    assert ticked.json()["done"] is True
    objective.refresh_from_db()
    assert objective.status == "active"  # ticking one off starts the objective

    redated = send(as_alice, "patch", url, {"title": "Demo to Product", "due_on": None})
    assert redated.json()["title"] == "Demo to Product"
    assert redated.json()["due_on"] is None
    assert redated.json()["done"] is True  # left out: unchanged

    assert as_alice.delete(url).status_code == 204
    assert not objective.milestones.exists()


def test_a_milestone_after_the_deadline_is_refused(as_alice, alice, placement):
    objective = make(placement, alice)
    before = stored()
    late = (DEADLINE + timedelta(days=1)).isoformat()
    response = send(
        as_alice,
        "post",
        f"{API}/objectives/{objective.pk}/milestones",
        {"title": "Late", "due_on": late},
    )
    assert response.status_code == 422
    assert error_path(response) == "body.due_on"
    milestone = objective.milestones.get()
    response = send(as_alice, "patch", f"{API}/milestones/{milestone.pk}", {"due_on": late})
    assert response.status_code == 422
    assert error_path(response) == "body.due_on"
    assert stored() == before


def test_a_bad_milestone_change_leaves_the_tick_alone_too(as_alice, alice, placement):
    objective = make(placement, alice)
    milestone = objective.milestones.get()
    late = (DEADLINE + timedelta(days=1)).isoformat()
    response = send(
        as_alice, "patch", f"{API}/milestones/{milestone.pk}", {"done": True, "due_on": late}
    )
    assert response.status_code == 422
    milestone.refresh_from_db()
    assert milestone.done_at is None


def test_only_the_owner_touches_milestones(as_bob, alice, placement):
    objective = make(placement, alice)
    milestone = objective.milestones.get()
    before = stored()
    url = f"{API}/milestones/{milestone.pk}"
    assert send(as_bob, "patch", url, {"done": True}).status_code == 404
    assert as_bob.delete(url).status_code == 404
    add = f"{API}/objectives/{objective.pk}/milestones"
    assert send(as_bob, "post", add, {"title": "Mine"}).status_code == 404
    assert stored() == before


# Proposals ----------------------------------------------------------------------------


@pytest.fixture
def gaps(placement):
    """Alice rates herself l1 on both competencies: two gaps towards l2."""
    assessments.rate_self(
        placement=placement, ratings=[Rating("shipping", "l1"), Rating("reviews", "l1")]
    )
    return placement


def test_proposals_cover_each_top_gap_and_write_nothing(as_alice, gaps):
    template = published_template()
    before = stored()
    response = as_alice.get(f"{API}/placements/{gaps.pk}/proposals")
    assert response.status_code == 200, response.content
    proposals = response.json()["proposals"]
    assert {p["competency"] for p in proposals} == {"shipping", "reviews"}
    from_template = [p for p in proposals if p["template_id"] == template.pk]
    assert from_template
    assert from_template[0]["check"]["specific"] is True
    assert from_template[0]["milestones"][0]["title"] == "Plan reviewed"
    assert stored() == before


def test_accepting_edited_proposals_makes_objectives_all_or_none(as_alice, gaps):
    published_template()
    url = f"{API}/placements/{gaps.pk}/proposals"
    proposals = as_alice.get(url).json()["proposals"][:2]
    for p in proposals:
        del p["competency_name"], p["expectation"], p["check"]
    proposals[0]["title"] = SPECIFIC + ", with the support team"
    bad = [proposals[0], {**proposals[1], "title": ""}]
    before = stored()
    response = send(as_alice, "post", f"{url}/accept", {"proposals": bad})
    assert response.status_code == 422
    assert error_path(response) == "body.proposals[1].title"
    assert stored() == before

    response = send(as_alice, "post", f"{url}/accept", {"proposals": proposals})
    assert response.status_code == 201, response.content
    made = response.json()
    assert [o["title"] for o in made] == [p["title"] for p in proposals]
    assert len(made[0]["milestones"]) == len(proposals[0]["milestones"])


def test_proposals_are_only_for_the_placements_member(as_bob, gaps):
    assert as_bob.get(f"{API}/placements/{gaps.pk}/proposals").status_code == 404
    body = {"proposals": [{"competency": "shipping", "title": SPECIFIC}]}
    before = stored()
    response = send(as_bob, "post", f"{API}/placements/{gaps.pk}/proposals/accept", body)
    assert response.status_code == 404
    assert stored() == before


# Templates ----------------------------------------------------------------------------


def template_body(**changes: Any) -> dict[str, Any]:
    body = {
        "framework_key": "tiny",
        "competency": "shipping",
        "track": "ic",
        "from_step": "l1",
        "to_step": "l2",
        "title": "Ship a feature end to end",
        "summary": "Own one feature from the plan to the release.",
        "duration_weeks": 10,
        "evidence": ["The release notes"],
        "objectives": [template_objective()],
    }
    body.update(changes)
    return body


def test_the_template_list_shows_published_library_and_org_templates(as_alice, ada, ladder):
    library = published_template()
    published_template(status=TemplateStatus.DRAFT)
    other = published_template(competency="reviews", title="Review with care")
    response = as_alice.get(f"{API}/templates")
    assert response.status_code == 200, response.content
    assert {t["id"] for t in response.json()["items"]} == {library.pk, other.pk}
    assert response.json()["count"] == 2
    first = response.json()["items"][0]
    assert first["library"] is True
    assert (first["applied"], first["rating"], first["ratings"]) == (0, None, 0)
    found = as_alice.get(f"{API}/templates?competency=reviews").json()["items"]
    assert [t["id"] for t in found] == [other.pk]
    assert as_alice.get(f"{API}/templates?q=care").json()["count"] == 1
    assert as_alice.get(f"{API}/templates?step=l3").json()["count"] == 0
    past_the_end = as_alice.get(f"{API}/templates?page=2").json()
    assert past_the_end == {"items": [], "count": 2}


def test_a_template_is_written_reviewed_by_a_second_person_and_published(
    as_bob, as_ada, as_alice, ladder
):
    created = send(as_bob, "post", f"{API}/templates", template_body())
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "draft"
    assert created.json()["library"] is False
    url = f"{API}/templates/{created.json()['id']}"
    # A draft is its author's (and the admins'): members don't see it yet.
    assert as_alice.get(url).status_code == 404

    patched = send(as_bob, "patch", url, {"title": "Ship one feature end to end"})
    assert patched.json()["title"] == "Ship one feature end to end"
    assert send(as_bob, "post", f"{url}/submit").json()["status"] == "in_review"
    # In review, it is out of its author's hands; an admin may look but not change it.
    assert send(as_bob, "patch", url, {"title": "Too late"}).status_code == 404
    assert send(as_ada, "patch", url, {"title": "Too late"}).status_code == 409
    published = send(as_ada, "post", f"{url}/review", {"approve": True})
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    assert as_alice.get(url).status_code == 200


def test_the_author_never_reviews_their_own_template(as_ada, ladder):
    made = send(as_ada, "post", f"{API}/templates", template_body()).json()
    url = f"{API}/templates/{made['id']}"
    send(as_ada, "post", f"{url}/submit")
    response = send(as_ada, "post", f"{url}/review", {"approve": True})
    assert response.status_code == 409
    assert RoadmapTemplate.objects.get().status == TemplateStatus.IN_REVIEW


def test_publishing_refuses_a_vague_objective_naming_it(as_bob, as_ada, ladder):
    body = template_body(objectives=[template_objective(title=VAGUE)])
    url = f"{API}/templates/{send(as_bob, 'post', f'{API}/templates', body).json()['id']}"
    send(as_bob, "post", f"{url}/submit")
    before = stored()
    response = send(as_ada, "post", f"{url}/review", {"approve": True})
    assert response.status_code == 422
    assert error_path(response) == "body.objectives[0].title"
    assert stored() == before
    assert RoadmapTemplate.objects.get().status == TemplateStatus.IN_REVIEW


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"to_step": "l9"}, "body.to_step"),
        ({"competency": "cooking"}, "body.competency"),
        ({"framework_key": "nothing"}, "body.framework_key"),
        ({"objectives": []}, "body.objectives"),
        ({"duration_weeks": 0}, "body.duration_weeks"),
        ({"objectives": [template_objective(timebox_weeks=0)]}, "body.objectives.0.timebox_weeks"),
    ],
)
def test_a_bad_template_names_the_field_and_writes_nothing(as_ada, ladder, changes, path):
    before = stored()
    response = send(as_ada, "post", f"{API}/templates", template_body(**changes))
    assert response.status_code == 422, response.content
    assert error_path(response) == path
    assert stored() == before


def test_members_and_non_staff_write_no_templates(as_alice, as_ada, ladder):
    before = stored()
    assert send(as_alice, "post", f"{API}/templates", template_body()).status_code == 404
    library = template_body(library=True)
    assert send(as_ada, "post", f"{API}/templates", library).status_code == 404
    assert stored() == before


def test_a_member_applies_a_template_and_then_rates_it(as_alice, as_maya, placement):
    template = published_template()
    url = f"{API}/templates/{template.pk}"
    before = stored()
    assert send(as_alice, "post", f"{url}/rate", {"stars": 5}).status_code == 409
    assert stored() == before

    applied = send(as_alice, "post", f"{url}/apply", {"placement_id": placement.pk})
    assert applied.status_code == 201, applied.content
    assert [o["template_id"] for o in applied.json()] == [template.pk]
    assert len(applied.json()[0]["milestones"]) == 2

    assert send(as_alice, "post", f"{url}/rate", {"stars": 6}).status_code == 422
    rated = send(as_alice, "post", f"{url}/rate", {"stars": 4, "comment": "Useful"})
    assert rated.status_code == 201
    assert rated.json() == {"template_id": template.pk, "stars": 4, "comment": "Useful"}
    shown = as_alice.get(url).json()
    assert (shown["applied"], shown["rating"], shown["ratings"]) == (1, 4.0, 1)
    # Maya can't apply it to Alice's placement.
    assert send(as_maya, "post", f"{url}/apply", {"placement_id": placement.pk}).status_code == 404


def test_an_organizations_template_is_not_found_from_another_organization(as_alice, acme, ladder):
    template = published_template(organization=acme)
    assert as_alice.get(f"{API}/templates/{template.pk}").status_code == 200
    assert as_alice.get(f"/api/v1/orgs/alice/roadmap/templates/{template.pk}").status_code == 404


# The specificity check ----------------------------------------------------------------


def test_the_check_tells_a_vague_objective_from_a_specific_one(as_alice):
    vague = send(as_alice, "post", "/api/v1/roadmap/check", {"text": VAGUE})
    assert vague.status_code == 200, vague.content
    assert set(vague.json()) == {"text", "score", "specific", "missing", "suggestions"}
    assert vague.json()["specific"] is False
    assert vague.json()["missing"]
    assert vague.json()["suggestions"]
    specific = send(
        as_alice,
        "post",
        "/api/v1/roadmap/check",
        {
            "text": "Propose and lead a Q3 initiative with Product and Engineering to cut "
            "checkout latency in half, presenting the plan at the July leadership review"
        },
    )
    assert specific.json()["specific"] is True
    assert specific.json()["missing"] == []
    assert specific.json()["score"] > vague.json()["score"]


def test_the_check_counts_stakeholders_and_a_timebox_as_context(as_alice):
    text = "Write the on-call runbook for the payments service"
    alone = send(as_alice, "post", "/api/v1/roadmap/check", {"text": text}).json()
    helped = send(
        as_alice,
        "post",
        "/api/v1/roadmap/check",
        {"text": text, "stakeholders": ["The support team"], "timebox": "2030-Q1"},
    ).json()
    assert "context" not in helped["missing"]
    assert helped["score"] >= alone["score"]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"text": ""}, "body.text"),
        ({}, "body.text"),
        ({"text": "x", "stakeholders": "a"}, "body.stakeholders"),
    ],
)
def test_the_check_refuses_missing_text(as_alice, body, path):
    response = send(as_alice, "post", "/api/v1/roadmap/check", body)
    assert response.status_code == 422
    assert error_path(response) == path


def test_the_check_needs_someone_signed_in(client):
    assert send(client, "post", "/api/v1/roadmap/check", {"text": VAGUE}).status_code == 401


# The calendar address -----------------------------------------------------------------


def test_a_calendar_address_is_shown_once_and_replaced_or_ended_on_request(
    as_alice, client, settings
):
    first = send(as_alice, "post", "/api/v1/roadmap/calendar-feed")
    assert first.status_code == 201, first.content
    url = first.json()["url"]
    assert url.startswith(settings.SITE_URL + "/calendar/")
    assert url.endswith(".ics")
    path = url.removeprefix(settings.SITE_URL)
    assert client.get(path).status_code == 200
    assert CalendarFeed.objects.get().token_hash not in url  # only the hash is kept

    second = send(as_alice, "post", "/api/v1/roadmap/calendar-feed").json()["url"]
    assert second != url
    assert client.get(path).status_code == 404

    assert as_alice.delete("/api/v1/roadmap/calendar-feed").status_code == 204
    assert client.get(second.removeprefix(settings.SITE_URL)).status_code == 404


# Query budgets ------------------------------------------------------------------------


def grow(placement: Any, alice: Any, n: int) -> None:
    for i in range(n):
        make(
            placement,
            alice,
            title=f"{SPECIFIC} ({i})",
            stakeholders=[services.StakeholderIn(name="Design"), services.StakeholderIn(name="QA")],
        )


def test_my_objectives_cost_the_same_queries_however_many(
    as_alice, alice, placement, django_assert_num_queries
):
    grow(placement, alice, 1)
    # session, user, membership of acme, objectives, their milestones, their stakeholders
    with django_assert_num_queries(6):
        assert as_alice.get(f"{API}/objectives").json()["count"] == 1
    grow(placement, alice, 4)
    with django_assert_num_queries(6):
        assert as_alice.get(f"{API}/objectives").json()["count"] == 5


def test_a_reports_roadmap_costs_the_same_queries_however_long(
    as_bob, alice, placement, django_assert_num_queries
):
    url = f"{API}/objectives?placement_id={placement.pk}"
    grow(placement, alice, 1)
    # session, user, the placement (with the reader's membership), how Bob stands to
    # Alice for the placement and whether he mentors her, both again for the tiers he
    # may see, objectives, milestones, stakeholders
    with django_assert_num_queries(10):
        assert as_bob.get(url).json()["count"] == 1
    grow(placement, alice, 4)
    with django_assert_num_queries(10):
        assert as_bob.get(url).json()["count"] == 5


def test_the_template_list_costs_the_same_queries_however_long(
    as_alice, alice, placement, django_assert_num_queries
):
    template = published_template()
    services.apply_template(template=template, placement=placement, by=alice)
    # session, user, membership of acme, membership again (the org's own templates),
    # the count, the page with applied counts and ratings
    with django_assert_num_queries(6):
        assert as_alice.get(f"{API}/templates").json()["count"] == 1
    for _ in range(4):
        other = published_template()
        services.apply_template(template=other, placement=placement, by=alice)
        services.rate_template(template=other, by=alice, stars=3)
    with django_assert_num_queries(6):
        items = as_alice.get(f"{API}/templates").json()["items"]
    assert len(items) == 5
    assert sorted((t["applied"], t["ratings"]) for t in items) == [(1, 0)] + [(1, 1)] * 4
