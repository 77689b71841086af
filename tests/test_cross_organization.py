"""Someone from another organization gets nothing from any route.

The walkers enumerate every URL pattern and every API operation, so a new
route is covered the moment it is added: it either answers Eve with 404, or
it is listed below as not scoped to an organization, with a reason.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from upward.accounts.models import ApiToken, Invitation, Membership, User
from upward.accounts.services import create_api_token, invite_member
from upward.api import api
from upward.assessments import services as assessment_services
from upward.assessments.models import FeedbackRequest, Placement, Signal
from upward.core.models import AuditEvent
from upward.core.visibility import Tier
from upward.evidence import services as evidence_services
from upward.evidence.models import Confirmation, Entry, Packet, Post, ShareLink, Thread
from upward.frameworks import services
from upward.frameworks.documents import validate_document
from upward.frameworks.models import FrameworkVersion
from upward.frameworks.tests.factories import small_document
from upward.mentorship import services as mentorship_services
from upward.mentorship.models import (
    ActionItem,
    Goal,
    MentoringSession,
    MentorProfile,
    MentorshipRequest,
    Message,
    Offer,
    Pair,
    Participant,
    Programme,
    Room,
    RoomRating,
)
from upward.notifications.models import Notification
from upward.notifications.services import notify
from upward.roadmaps import services as roadmap_services
from upward.roadmaps.models import CalendarFeed, Milestone, Objective, RoadmapTemplate
from upward.roadmaps.tests.factories import SPECIFIC, TemplateFactory

# Routes that belong to no organization: what they show depends only on who asks.
NOT_ORG_SCOPED_PAGES = {
    "home": "public landing page",
    "dashboard": "the visitor's own dashboard",
    "healthz": "liveness probe",
    "accounts:org_list": "the visitor's own organizations",
    "accounts:org_switch": "switches among the visitor's own organizations",
    "accounts:token_list": "the visitor's own API tokens",
    "accounts:profile": "the visitor's own name, time zone and languages",
    "accounts:profile_photo": "uploads the visitor's own photo",
    "accounts:profile_photo_remove": "removes the visitor's own photo",
    "accounts:photo_by_link": "reached by a signed link, tested in accounts test_photos",
    "accounts:invitation_accept": "reached by a secret link, tested in test_views_members",
    "assessments:my_delta": "the visitor's own delta in their current organization",
    "assessments:placement_edit": "places the visitor on their own org's or a library framework",
    "assessments:feedback_requests": "the visitor's own feedback requests, sent and received",
    "assessments:feedback_withdraw_anonymous": "the visitor's own anonymous requests",
    "assessments:team_deltas": "the visitor's own reports in their current organization",
    "assessments:feedback_link": "reached by a secret emailed link, tested in test_views_feedback",
    "assessments:feedback_thanks": "a thank-you page with nothing of any organization on it",
    "frameworks:framework_list": "the library and the visitor's own organizations' frameworks",
    "frameworks:framework_import": "imports into an organization the visitor administers",
    # Notifications belong to a person, not an organization.
    "notifications:list": "the visitor's own notifications",
    "notifications:read_all": "marks the visitor's own notifications read",
    "notifications:settings": "the visitor's own email choices",
    "notifications:unsubscribe": "reached by a signed emailed link, tested in notifications",
    "roadmaps_calendar:calendar_feed": "reached by a secret address, tested in test_calendar",
    "roadmaps:roadmap": "the visitor's own roadmap in their current organization",
    "roadmaps:build": "builds the visitor's own roadmap from their own gaps",
    "roadmaps:objective_new": "adds to the visitor's own roadmap",
    "roadmaps:check": "checks the text posted, reads and stores nothing",
    "roadmaps:templates": "the library and the visitor's own organization's templates",
    "roadmaps:template_new": "writes a template for an organization the visitor curates",
    "roadmaps:calendar": "the visitor's own calendar address",
    # Insights are those of the visitor's current organization (admins and its managers).
    "insights:heatmap": "the current organization's insights, tested in insights test_views",
    "insights:pipeline": "the current organization's insights, tested in insights test_views",
    "insights:calibration": "the current organization's insights, tested in insights test_views",
    "insights:settings": "the current organization's settings, tested in insights test_views",
    "insights:heatmap_export": "the current organization's export, tested in test_views",
    "insights:pipeline_export": "the current organization's export, tested in test_views",
    "insights:calibration_export": "the current organization's export, tested in test_views",
    "evidence:log": "the visitor's own evidence in their current organization",
    "evidence:entry_new": "adds to the visitor's own evidence",
    "evidence:threads": "threads of the visitor's current organization that they may read",
    "evidence:thread_new": "opens a thread of the visitor's own",
    "evidence:public_profile": "only what the person made public; tested in test_public_profile",
    "evidence:public_thread": "only a thread made public; tested in test_public_profile",
    "evidence:packet_list": "the visitor's own packets",
    "evidence:packet_new": "a packet for the visitor's own placement",
    "evidence:shared_packet": "reached by a secret link, tested in test_packets_views",
    "evidence:record": "the visitor's own record",
    "evidence:record_export": "exports the visitor's own record",
    "evidence:record_import": "imports into a new personal space of the visitor's",
    "evidence:account_delete": "deletes the visitor's own account",
    "mentorship:home": "the visitor's own rooms and requests",
    "mentorship:dashboard": "the rooms the visitor mentors",
    "mentorship:profile_edit": "the visitor's own mentor profile in their current organization",
    "mentorship:profile_delete": "deletes the visitor's own mentor profile",
    "mentorship:directory": "mentors the visitor's current organization may find",
    "mentorship:matches": "mentors ranked on the visitor's own gaps",
    "mentorship:requests": "mentorship requests the visitor sent or received",
    "mentorship:settings": "the visitor's current organization's settings, for its admins",
    "mentorship:programmes": "programmes of the visitor's current organization",
    "mentorship:programme_new": "opens a programme in the organization the visitor administers",
}
# Prefixes handled by their own libraries and tests: allauth's account pages
# (own-account only), Django admin (site staff only: every page of it answers Eve
# 403, see tests/test_admin.py), static files and the API (walked separately below).
SKIPPED_PREFIXES = ("accounts/", "admin/", "static/", "api/v1/")

NOT_ORG_SCOPED_OPERATIONS = {
    ("get", "/api/v1/me"): "the caller's own profile",
    ("get", "/api/v1/me/profile"): "the caller's own name, time zone and languages",
    ("patch", "/api/v1/me/profile"): "changes the caller's own name, time zone and languages",
    ("post", "/api/v1/me/profile/photo"): "uploads the caller's own photo",
    ("delete", "/api/v1/me/profile/photo"): "removes the caller's own photo",
    ("get", "/api/v1/orgs"): "the caller's own organizations",
    ("post", "/api/v1/orgs"): "creates a new organization",
    ("get", "/api/v1/tokens"): "the caller's own tokens",
    ("post", "/api/v1/tokens"): "creates a token for the caller",
    ("post", "/api/v1/invitations/accept"): "needs the secret from an invitation email",
    ("get", "/api/v1/frameworks"): "the library and the caller's own organizations' frameworks",
    ("get", "/api/v1/frameworks/schema"): "the public document schema",
    ("post", "/api/v1/frameworks/import"): "imports into an organization named in the form",
    ("post", "/api/v1/frameworks/import/preview"): "reads an upload for a named organization",
    ("post", "/api/v1/frameworks/import/confirm"): "stores the caller's own previewed upload",
    ("get", "/api/v1/placements"): "the caller's own placements",
    ("post", "/api/v1/placements"): "places the caller in an organization named in the body",
    ("get", "/api/v1/feedback-requests"): "requests the caller sent",
    ("post", "/api/v1/feedback-requests"): "asks about a placement named in the body",
    ("post", "/api/v1/feedback-requests/batch"): "asks about a placement named in the body",
    ("get", "/api/v1/feedback-requests/incoming"): "requests addressed to the caller",
    ("get", "/api/v1/feedback-links/{secret}"): "reached by a secret emailed link",
    ("post", "/api/v1/feedback-links/{secret}/responses"): "reached by a secret emailed link",
    ("post", "/api/v1/feedback-links/{secret}/decline"): "reached by a secret emailed link",
    ("get", "/api/v1/notifications"): "the caller's own notifications (per person, not per org)",
    ("post", "/api/v1/notifications/read"): "marks the caller's own notifications read",
    ("get", "/api/v1/notifications/preferences"): "the caller's own email choices",
    ("put", "/api/v1/notifications/preferences"): "sets the caller's own email choice",
    ("post", "/api/v1/roadmap/check"): "checks the text sent, reads and stores nothing",
    ("post", "/api/v1/roadmap/calendar-feed"): "makes the caller's own calendar address",
    ("delete", "/api/v1/roadmap/calendar-feed"): "ends the caller's own calendar address",
    ("get", "/api/v1/me/record"): "the caller's own record",
    ("get", "/api/v1/me/record.zip"): "the caller's own record, as a readable bundle",
    ("post", "/api/v1/me/record/import"): "imports into a new personal space of the caller's",
    ("delete", "/api/v1/me/account"): "deletes the caller's own account",
    ("get", "/api/v1/mentoring/rooms"): "the caller's own rooms",
    ("get", "/api/v1/mentoring/dashboard"): "the rooms the caller mentors",
}


@pytest.fixture
def acme_world(ada, alice, bob, maya, acme, platform, django_capture_on_commit_callbacks):
    """Something of every kind in Acme for Eve to try to reach."""
    invitation = invite_member(organization=acme, email="carol@acme.test", role="member", by=ada)
    token, _raw = create_api_token(user=alice, name="alice's", scope="write", days=30)
    published = services.create_version(
        document=validate_document(small_document()), organization=acme, by=ada
    )
    services.publish_version(version=published, by=ada)
    services.start_draft(framework=published.framework, by=ada)
    placement = assessment_services.place(
        user=alice, organization=acme, version=published, track="ic", current_level="l1"
    )
    feedback = assessment_services.request_feedback(
        placement=placement, relationship="mentor", competencies=[], rater=maya
    )
    notification = notify(recipient=alice, kind_key="feedback.answered", title="For Alice")
    objective = roadmap_services.create_objective(
        owner=alice, placement=placement, title=SPECIFIC, competencies=["shipping"]
    )
    milestone = roadmap_services.add_milestone(objective=objective, by=alice, title="Plan")
    template = TemplateFactory(organization=acme, framework_key=published.framework.key)
    proof = _proof(alice, bob, placement)
    mentoring = _mentoring(alice, maya, ada, placement)
    return {
        **proof,
        **mentoring,
        "objective": objective.pk,
        "milestone": milestone.pk,
        "template": template.pk,
        "notification": notification.pk,
        "placement": placement.pk,
        "request": feedback.pk,
        "framework": published.framework_id,
        "number": 2,  # the draft; version 1 is published
        "slug": acme.slug,
        "membership": Membership.objects.get(organization=acme, user=alice).pk,
        "team": platform.pk,
        "invitation": invitation.pk,
        "token": token.pk,
        "user": alice.pk,
        "level": "l1",  # a level and a competency of the framework above
        "competency": "shipping",
    }


def _proof(alice: User, bob: User, placement: Placement) -> dict[str, Any]:
    """Alice's evidence confirmed by Bob, her thread with a reply, her packet and its link."""
    entry = evidence_services.create_entry(
        owner=alice,
        placement=placement,
        title="Shipped the importer",
        happened_on=placement.created_at.date(),
        competencies=[{"competency": "shipping", "step": "l1"}],
        visibility=Tier.ORGANIZATION,
    )
    confirmation = evidence_services.confirm_entry(
        entry=entry, by=bob, relation="manager", steps={"shipping": "l1"}
    )
    thread = evidence_services.open_thread(
        owner=alice,
        organization=placement.organization,
        title="Learning to ship",
        visibility=Tier.ORGANIZATION,
        body="First update",
    )
    post = evidence_services.reply(thread=thread, by=bob, body="Nice")
    packet = evidence_services.create_packet(owner=alice, placement=placement, title="IC4")
    link, _secret = evidence_services.create_share_link(packet=packet, by=alice, days=7)
    return {
        "entry": entry.pk,
        "confirmation": confirmation.pk,
        "thread": thread.pk,
        "post": post.pk,
        "packet": packet.pk,
        "link": link.pk,
        "extension": "md",
        "kind": "applause",
    }


def _mentoring(alice: User, maya: User, ada: User, placement: Placement) -> dict[str, Any]:
    """Maya's mentor profile, Alice's request to her, their room with something of
    every kind in it, and a programme with a proposed pair."""
    assessment_services.place(
        user=maya,
        organization=placement.organization,
        version=placement.version,
        track="ic",
        current_level="l2",
    )
    profile = mentorship_services.save_profile(
        user=maya,
        organization=placement.organization,
        offers=[mentorship_services.OfferIn("shipping", "l2")],
    )
    request = mentorship_services.send_request(
        mentee=alice, organization=placement.organization, profile=profile
    )
    room = mentorship_services.open_room(
        mentor=maya, mentee=alice, organization=placement.organization, cadence="weekly"
    )
    goal = mentorship_services.add_goal(room=room, by=alice, title="Ship the importer")
    session = mentorship_services.schedule_session(
        room=room, by=maya, starts_at=placement.created_at + timedelta(days=2)
    )
    item = mentorship_services.add_action_item(
        room=room,
        by=maya,
        title="Draft",
        owner=alice,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    mentorship_services.post_message(room=room, by=alice, body="Hello")
    programme = mentorship_services.open_programme(
        organization=placement.organization,
        by=ada,
        name="Spring",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=60),
    )
    pair = Pair.objects.create(programme=programme, mentee=alice, mentor=maya, score=1)
    return {
        "profile": profile.pk,
        "ask": request.pk,
        "room": room.pk,
        "goal": goal.pk,
        "session": session.pk,
        "item": item.pk,
        "programme": programme.pk,
        "pair": pair.pk,
    }


def _value_for(param: str, world: dict[str, Any]) -> Any:
    """Pick the Acme object a URL parameter names (by its name)."""
    keys = ("ask", "profile", "room", "goal", "session", "item", "programme")
    keys += ("pair", "slug", "team", "invitation", "token", "membership", "member", "user")
    keys += ("framework",)
    keys += ("placement", "request", "notification", "objective", "milestone", "template")
    keys += ("entry", "confirmation", "thread", "post", "packet", "link", "extension", "kind")
    for key in (*keys, "number", "level", "competency"):
        if key in param:
            return world["membership" if key == "member" else key]
    raise AssertionError(
        f"The cross-organization walker doesn't know URL parameter '{param}'. "
        "Teach _value_for which Acme object it names."
    )


def _walk(resolvers: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""):
    """Yield (route, "namespace:name" or None) for every pattern under `resolvers`."""
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            yield prefix + str(entry.pattern), entry.name and namespace + entry.name


def _org_scoped_pages() -> list[tuple[str, str]]:
    pages = []
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or name in NOT_ORG_SCOPED_PAGES:
            continue
        assert name, f"Route {route!r} has no name; name it so it can be listed."
        pages.append((route, name))
    return pages


def _fill(route: str, world: dict[str, Any]) -> str:
    def sub(match: re.Match[str]) -> str:
        return str(_value_for(match.group("name"), world))

    return "/" + re.sub(r"<(?:\w+:)?(?P<name>\w+)>", sub, route)


def test_the_page_walker_finds_org_scoped_routes(db):
    # Guards the walker itself: if it found nothing, the test below would pass vacuously.
    names = {name for _route, name in _org_scoped_pages()}
    assert len(names) >= 5, names


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organizations_user_gets_404_from_every_org_scoped_page(
    acme_world, as_eve, as_ada, method
):
    before = _snapshot()
    pages = _org_scoped_pages()
    answers = {}
    for route, name in pages:
        url = _fill(route, acme_world)
        status = getattr(as_eve, method)(url).status_code
        if status == 405 and _never_allowed(as_ada, method, url):
            continue
        answers[f"{name} {url}"] = status
    wrong = {page: status for page, status in answers.items() if status != 404}
    assert wrong == {}, f"Eve should get 404 everywhere; got {wrong}"
    assert len(answers) >= 10, answers  # most routes still answer Eve themselves
    assert _snapshot() == before


def _never_allowed(insider: Client, method: str, url: str) -> bool:
    """Whether a route refuses `method` to its own organization's admin too.

    Such a route answers 405 before looking at any id, the same for everyone,
    so Eve learns nothing from it.
    """
    response = getattr(insider, method)(url)
    return response.status_code == 405 and method.upper() not in response.get("Allow", "")


def test_a_route_that_never_allows_a_method_refuses_it_to_everyone(acme_world, as_eve, as_ada):
    # The delta page is read-only: POST is refused whoever asks, before any access check.
    url = f"/growth/placement/{acme_world['placement']}/"
    assert as_eve.post(url).status_code == 405
    assert _never_allowed(as_ada, "post", url)
    assert not _never_allowed(as_ada, "get", url)


def _operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    ops = []
    for path, methods in schema["paths"].items():
        for method in methods:
            ops.append((method, path))
    return ops


def test_every_api_operation_is_org_scoped_or_listed(db):
    listed = set(NOT_ORG_SCOPED_OPERATIONS)
    ops = set(_operations())
    assert listed <= ops, f"Listed operations that don't exist: {listed - ops}"
    assert len(ops - listed) >= 10


@pytest.mark.parametrize("auth", ["session", "token"])
def test_another_organizations_user_gets_404_from_every_org_scoped_operation(acme_world, eve, auth):
    client = Client()
    headers: dict[str, str] = {}
    if auth == "session":
        client.force_login(eve)
    else:
        _token, raw = create_api_token(user=eve, name="probe", scope="write", days=1)
        headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    before = _snapshot()
    wrong = {}
    for method, path in _operations():
        if (method, path) in NOT_ORG_SCOPED_OPERATIONS:
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: str(_value_for(m.group(1), acme_world)), path)
        # One body that fits every operation's schema, so access is what decides.
        body = json.dumps(
            {
                "name": "x",
                "role": "admin",
                "email": "x@y.z",
                "user_id": 1,
                "document": {},
                "competency": "shipping",
                "level": "l1",
                "ratings": [{"competency": "shipping", "step": "l1"}],
                "placement_id": acme_world["placement"],
                "title": "x",
                "competencies": ["shipping"],
                "reason": "x",
                "approve": True,
                "stars": 3,
                "proposals": [{"competency": "shipping", "title": "x"}],
                "framework_key": "tiny",
                "track": "ic",
                "from_step": "l1",
                "to_step": "l2",
                "objectives": [{"title": "x", "timebox_weeks": 4}],
                "body": "x",
                "steps": {"shipping": "l1"},
                "relation": "peer",
                "happened_on": "2026-01-01",
                "days": 7,
                "accept": True,
                "user_ids": [1],
                "basis": "x",
                "profile_id": acme_world["profile"],
                "allow_outside_mentors": True,
                "starts_at": "2030-01-01T10:00:00+00:00",
                "owner_id": 1,
                "due_on": "2030-01-01",
                "starts_on": "2030-01-01",
                "ends_on": "2030-02-01",
                "mentee_id": 1,
                "mentor_id": 1,
                "ready_threshold": 0.8,
                "min_ratings": 5,
                **_body_for(path),
            }
        )
        response = getattr(client, method)(
            url, data=body if method != "get" else None, content_type="application/json", **headers
        )
        if response.status_code != 404:
            wrong[f"{method.upper()} {url}"] = response.status_code
        else:
            assert response.json()["error"]["code"] == "not_found"
    assert wrong == {}, f"Eve should get 404 from every org-scoped operation; got {wrong}"
    assert _snapshot() == before


def test_the_unscoped_operations_show_eve_nothing_of_acme(acme_world, eve):
    client = Client()
    client.force_login(eve)
    for (method, path), _why in NOT_ORG_SCOPED_OPERATIONS.items():
        if method != "get":
            continue
        body = _text_of(client.get(path))
        assert "acme" not in body.lower(), f"{path} leaks Acme to Eve"


def _text_of(response: Any) -> str:
    """A response's text; a zip's is every file in it."""
    if response["Content-Type"] != "application/zip":
        return response.content.decode()
    with zipfile.ZipFile(io.BytesIO(response.content)) as bundle:
        return "".join(bundle.read(name).decode() for name in bundle.namelist())


# Operations whose body names competencies with the step they show, not by key alone.
STEPPED_COMPETENCIES = re.compile(r"/evidence(/\{entry_id\})?$|/promote$")


def _body_for(path: str) -> dict[str, Any]:
    """What differs from the shared body for one operation, so its schema accepts it."""
    if STEPPED_COMPETENCIES.search(path):
        return {"competencies": [{"competency": "shipping", "step": "l1"}]}
    if path.endswith("/join"):
        return {"role": "mentee"}
    return {}


def _snapshot() -> tuple[object, ...]:
    return (
        Membership.objects.count(),
        Invitation.objects.filter(revoked_at__isnull=True).count(),
        ApiToken.objects.filter(revoked_at__isnull=True).count(),
        AuditEvent.objects.count(),
        tuple(FrameworkVersion.objects.values_list("content_hash", "status").order_by("pk")),
        Signal.objects.count(),
        tuple(FeedbackRequest.objects.values_list("status", flat=True).order_by("pk")),
        Notification.objects.filter(read_at__isnull=True).count(),
        tuple(Objective.objects.values_list("title", "status").order_by("pk")),
        tuple(Milestone.objects.values_list("title", "done_at").order_by("pk")),
        tuple(RoadmapTemplate.objects.values_list("title", "status").order_by("pk")),
        CalendarFeed.objects.filter(revoked_at__isnull=True).count(),
        tuple(Entry.objects.values_list("title", "visibility", "competencies").order_by("pk")),
        tuple(Confirmation.objects.values_list("pk", "steps").order_by("pk")),
        tuple(Thread.objects.values_list("title", "visibility").order_by("pk")),
        tuple(Post.objects.values_list("body", "edited_at").order_by("pk")),
        tuple(Packet.objects.values_list("title", "choices").order_by("pk")),
        tuple(ShareLink.objects.values_list("pk", "revoked_at").order_by("pk")),
        tuple(MentorProfile.objects.values_list("bio", "capacity", "accepting").order_by("pk")),
        tuple(Offer.objects.values_list("step", "verified_at").order_by("pk")),
        tuple(MentorshipRequest.objects.values_list("status", flat=True).order_by("pk")),
        tuple(Programme.objects.values_list("status", "name").order_by("pk")),
        Participant.objects.count(),
        tuple(Pair.objects.values_list("mentor_id", "room_id").order_by("pk")),
        tuple(Room.objects.values_list("status", "cadence").order_by("pk")),
        tuple(Goal.objects.values_list("title", "done_at").order_by("pk")),
        tuple(MentoringSession.objects.values_list("agenda", "notes", "cancelled_at")),
        tuple(ActionItem.objects.values_list("title", "done_at").order_by("pk")),
        Message.objects.count(),
        RoomRating.objects.count(),
    )


def test_head_on_every_api_read_answers_as_get_without_the_body(acme_world, ada, alice, eve):
    other = Client()
    other.force_login(eve)
    reads = [path for method, path in _operations() if method == "get" and "{secret}" not in path]
    assert len(reads) >= 15
    statuses = set()
    for path in reads:
        url = re.sub(r"\{(\w+)\}", lambda m: str(_value_for(m.group(1), acme_world)), path)
        for person in (ada, alice):
            own = Client()
            own.force_login(person)
            got, head = own.get(url), own.head(url)
            assert head.status_code == got.status_code, url
            assert head.content == b"", url
            assert head["Content-Type"] == got["Content-Type"], url
            if got["Content-Type"] == "application/zip":
                # A bundle is stamped with the moment it is made, and its compressed size
                # may differ by a byte from one second to the next.
                assert int(head["Content-Length"]) > 0, url
            elif b'"took_ms"' in got.content:
                # Insights report the server time they took, which differs between requests.
                assert int(head["Content-Length"]) > 0, url
            else:
                assert head["Content-Length"] == str(len(got.content)), url
            statuses.add(got.status_code)
        if ("get", path) not in NOT_ORG_SCOPED_OPERATIONS:
            assert other.head(url).status_code == 404, url
    assert 200 in statuses
