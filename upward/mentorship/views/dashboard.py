"""The mentoring hub, the mentor dashboard, ending a room and rating it.

Rooms are fetched through `access.rooms` (only the mentor and the mentee; 404 for
anyone else), then one service or selector is called; a service's error is shown
in place, on the field it names.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from upward.core.http import AuthedRequest, ServiceForm, get_or_post, service_errors
from upward.mentorship.access.rooms import access_room
from upward.mentorship.models import Room
from upward.mentorship.selectors import dashboard as selectors
from upward.mentorship.selectors.ratings import ending_of
from upward.mentorship.services import ratings as services

STARS = [(n, f"{n} star{'s' if n > 1 else ''}") for n in range(1, 6)]


class RateForm(ServiceForm):
    """How the mentorship went: 1 to 5 stars and an optional comment."""

    stars = forms.TypedChoiceField(
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Give 1 to 5 stars.", "invalid_choice": "Give 1 to 5 stars."},
    )
    comment = forms.CharField(
        required=False,
        max_length=services.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What went well, what you would change. Shown to the other side only.",
    )


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    """My rooms as mentee and as mentor with their states, and my pending requests."""
    hub = selectors.hub_of(request.user)
    return render(request, "mentorship/home.html", {"hub": hub})


@login_required
@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    """The rooms I mentor, most urgent first, and how many places I have left."""
    board = selectors.dashboard_of(request.user)
    return render(request, "mentorship/dashboard.html", {"board": board})


def _other(room: Room, request: AuthedRequest) -> object:
    return room.mentee if room.mentor_id == request.user.pk else room.mentor


@login_required
@get_or_post
def room_end(request: AuthedRequest, room_id: int) -> HttpResponse:
    """Ask for confirmation, then end the room (either side); the other side is told."""
    room = access_room(request.user, room_id)
    form = ServiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        with service_errors(form):
            services.end_room(room=room, by=request.user)
            messages.success(request, "The mentorship has ended. Rate how it went.")
            return redirect("mentorship:room_rate", room.pk)
    context = {"room": room, "form": form, "other": _other(room, request)}
    return render(request, "mentorship/room_end.html", context, status=form.status)


@login_required
@get_or_post
def room_rate(request: AuthedRequest, room_id: int) -> HttpResponse:
    """Rate an ended room, once; the rating stays hidden from the other side for a while."""
    room = access_room(request.user, room_id)
    form = RateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.rate_room(
                room=room,
                by=request.user,
                stars=form.cleaned_data["stars"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, "Thank you. Your rating is saved.")
            return redirect("mentorship:room", room.pk)
    context = {"room": room, "form": form, "ending": ending_of(room, request.user)}
    return render(request, "mentorship/room_rate.html", context, status=form.status)
