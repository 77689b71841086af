"""A mentorship room and what is in it: goals, messages, sessions with their agenda and
notes, action items, the cadence, and the mentee's request for the mentor's rating.

Each view checks access through `access.rooms` (only the mentor and the mentee; anyone
else gets 404, and writes need an active room), calls one service or selector and
renders; a service's error is shown in place, on the field it names.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from upward.core.http import AuthedRequest, ServiceForm, get_or_post, service_errors
from upward.mentorship.access.rooms import (
    access_action_item,
    access_goal,
    access_room,
    access_session,
)
from upward.mentorship.forms_rooms import (
    ActionForm,
    CadenceForm,
    DoneForm,
    GoalForm,
    MessageForm,
    RatingRequestForm,
    SessionEditForm,
    SessionForm,
)
from upward.mentorship.models import MentoringSession, Room, RoomStatus
from upward.mentorship.selectors import rooms as selectors
from upward.mentorship.selectors.dashboard import states_of
from upward.mentorship.selectors.ratings import ending_of
from upward.mentorship.services import rooms as services
from upward.mentorship.services import sessions

PAGE = "mentorship/room_detail.html"
SESSION_PAGE = "mentorship/session_detail.html"
ICS_TYPE = "text/calendar; charset=utf-8"


def _back(room_id: int, anchor: str = "") -> str:
    return reverse("mentorship:room", args=[room_id]) + (f"#{anchor}" if anchor else "")


def _page(
    request: AuthedRequest, room: Room, *, status: int = 200, **forms_: ServiceForm | None
) -> HttpResponse:
    """The room's page, with the form that failed (if any) shown with its errors."""
    shown = selectors.room_page(room, request.user)
    context = {
        "shown": shown,
        "room": room,
        "active": room.status == RoomStatus.ACTIVE,
        "me": request.user,
        "state": states_of([room])[room.pk],
        "ending": ending_of(room, request.user),
        "goal_form": forms_.get("goal_form") or GoalForm(objectives=shown.objectives),
        "message_form": forms_.get("message_form") or MessageForm(),
        "session_form": forms_.get("session_form") or SessionForm(),
        "action_form": forms_.get("action_form") or ActionForm(room=room),
        "cadence_form": forms_.get("cadence_form")
        or CadenceForm(initial={"cadence": room.cadence}),
        "rating_form": forms_.get("rating_form") or RatingRequestForm(),
        "failed": forms_.get("failed"),
    }
    return render(request, PAGE, context, status=status)


@login_required
@require_safe
def room(request: AuthedRequest, room_id: int) -> HttpResponse:
    """The room: goals, sessions, action items, messages, what the mentee shares, the state."""
    return _page(request, access_room(request.user, room_id))


# --- Goals ------------------------------------------------------------------------------


@login_required
@get_or_post
def goal_new(request: AuthedRequest, room_id: int) -> HttpResponse:
    """Add a shared goal, linked to one of the mentee's open objectives or not."""
    item = access_room(request.user, room_id, write=True)
    if request.method == "GET":
        return redirect(_back(item.pk, "goals"))
    objectives = selectors.linkable_objectives(item, request.user)
    form = GoalForm(request.POST, objectives=objectives)
    if form.is_valid():
        picked = form.cleaned_data["objective"]
        with service_errors(form):
            services.add_goal(
                room=item,
                by=request.user,
                title=form.cleaned_data["title"],
                objective=next((o for o in objectives if o.pk == picked), None),
            )
            return redirect(_back(item.pk, "goals"))
    return _page(request, item, goal_form=form, status=form.status)


@login_required
@get_or_post
def goal_done(request: AuthedRequest, goal_id: int) -> HttpResponse:
    """Mark a goal reached, or open it again."""
    goal = access_goal(request.user, goal_id, write=True)
    if request.method == "GET":
        return redirect(_back(goal.room_id, "goals"))
    form = DoneForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.set_goal_done(goal=goal, by=request.user, done=form.cleaned_data["done"])
            return redirect(_back(goal.room_id, "goals"))
    return _page(request, goal.room, failed=form, status=form.status)


@login_required
@get_or_post
def goal_delete(request: AuthedRequest, goal_id: int) -> HttpResponse:
    """Take a goal out of the room."""
    goal = access_goal(request.user, goal_id, write=True)
    if request.method == "GET":
        return redirect(_back(goal.room_id, "goals"))
    form = ServiceForm(request.POST)
    with service_errors(form):
        services.delete_goal(goal=goal, by=request.user)
        messages.success(request, f"Goal “{goal.title}” removed.")
        return redirect(_back(goal.room_id, "goals"))
    return _page(request, goal.room, failed=form, status=form.status)


# --- Messages ---------------------------------------------------------------------------


@login_required
@get_or_post
def message_new(request: AuthedRequest, room_id: int) -> HttpResponse:
    """Write to the other side of the room."""
    item = access_room(request.user, room_id, write=True)
    if request.method == "GET":
        return redirect(_back(item.pk, "messages"))
    form = MessageForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            message = services.post_message(
                room=item, by=request.user, body=form.cleaned_data["body"]
            )
            return redirect(_back(item.pk, f"message-{message.pk}"))
    return _page(request, item, message_form=form, status=form.status)


# --- Sessions ---------------------------------------------------------------------------


@login_required
@get_or_post
def session_new(request: AuthedRequest, room_id: int) -> HttpResponse:
    """Book a session; a blank agenda is generated."""
    item = access_room(request.user, room_id, write=True)
    if request.method == "GET":
        return redirect(_back(item.pk, "sessions"))
    form = SessionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            made = sessions.schedule_session(
                room=item,
                by=request.user,
                starts_at=data["starts_at"],
                minutes=data["minutes"],
                agenda=data["agenda"],
            )
            messages.success(request, "Session booked. Edit the agenda together before it.")
            return redirect("mentorship:session", made.pk)
    return _page(request, item, session_form=form, status=form.status)


def _session_page(
    request: AuthedRequest,
    session: MentoringSession,
    *,
    form: SessionEditForm | None = None,
    failed: ServiceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    initial = {"agenda": session.agenda, "notes": session.notes, "held": bool(session.held_at)}
    context = {
        "session": session,
        "room": session.room,
        "active": session.room.status == RoomStatus.ACTIVE,
        "form": form or SessionEditForm(initial=initial),
        "failed": failed,
    }
    return render(request, SESSION_PAGE, context, status=status)


@login_required
@get_or_post
def session(request: AuthedRequest, session_id: int) -> HttpResponse:
    """A session: its agenda and notes, edited by either side; marking it held."""
    item = access_session(request.user, session_id, write=request.method == "POST")
    if request.method == "GET":
        return _session_page(request, item)
    form = SessionEditForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            sessions.update_session(
                session=item,
                by=request.user,
                agenda=data["agenda"],
                notes=data["notes"],
                held=data["held"],
            )
            messages.success(request, "Session saved.")
            return redirect("mentorship:session", item.pk)
    return _session_page(request, item, form=form, status=form.status)


@login_required
@get_or_post
def session_cancel(request: AuthedRequest, session_id: int) -> HttpResponse:
    """Call a session off."""
    item = access_session(request.user, session_id, write=True)
    if request.method == "GET":
        return redirect("mentorship:session", item.pk)
    form = ServiceForm(request.POST)
    with service_errors(form):
        sessions.cancel_session(session=item, by=request.user)
        messages.success(request, "Session cancelled.")
        return redirect(_back(item.room_id, "sessions"))
    return _session_page(request, item, failed=form, status=form.status)


@login_required
@require_safe
def session_ics(request: AuthedRequest, session_id: int) -> HttpResponse:
    """One session as a calendar file to import."""
    item = access_session(request.user, session_id)
    response = HttpResponse(selectors.session_calendar(item), content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mentoring-session-{item.pk}.ics"'
    patch_cache_control(response, private=True, no_cache=True)
    return response


# --- Action items -----------------------------------------------------------------------


@login_required
@get_or_post
def action_new(request: AuthedRequest, room_id: int) -> HttpResponse:
    """Set an action item for the mentor or the mentee, with a due date."""
    item = access_room(request.user, room_id, write=True)
    if request.method == "GET":
        return redirect(_back(item.pk, "actions"))
    form = ActionForm(request.POST, room=item)
    if form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            made = services.add_action_item(
                room=item,
                by=request.user,
                title=data["title"],
                owner=form.picked_owner(),
                due_on=data["due_on"],
            )
            return redirect(_back(item.pk, f"action-{made.pk}"))
    return _page(request, item, action_form=form, status=form.status)


@login_required
@get_or_post
def action_done(request: AuthedRequest, item_id: int) -> HttpResponse:
    """Mark an action item done, or open it again."""
    item = access_action_item(request.user, item_id, write=True)
    if request.method == "GET":
        return redirect(_back(item.room_id, f"action-{item.pk}"))
    form = DoneForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.set_action_done(item=item, by=request.user, done=form.cleaned_data["done"])
            return redirect(_back(item.room_id, f"action-{item.pk}"))
    return _page(request, item.room, failed=form, status=form.status)


# --- Cadence and rating -----------------------------------------------------------------


@login_required
@get_or_post
def cadence(request: AuthedRequest, room_id: int) -> HttpResponse:
    """Change how often the room checks in."""
    item = access_room(request.user, room_id, write=True)
    if request.method == "GET":
        return redirect(_back(item.pk, "cadence"))
    form = CadenceForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.change_cadence(
                room=item, by=request.user, cadence=form.cleaned_data["cadence"]
            )
            messages.success(request, "Cadence changed.")
            return redirect(_back(item.pk))
    return _page(request, item, cadence_form=form, status=form.status)


@login_required
@get_or_post
def rating_request(request: AuthedRequest, room_id: int) -> HttpResponse:
    """The mentee asks the mentor to rate them; the answer counts as a mentor's signal."""
    item = access_room(request.user, room_id, write=True)
    if request.method == "GET":
        return redirect(_back(item.pk, "rating"))
    form = RatingRequestForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.request_rating(
                room=item, by=request.user, message=form.cleaned_data["message"]
            )
            messages.success(
                request,
                f"Asked {item.mentor.display_name} to rate you. Their answer counts "
                "as a mentor's view in your delta.",
            )
            return redirect(_back(item.pk))
    return _page(request, item, rating_form=form, status=form.status)
