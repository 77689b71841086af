"""Routes for mentorship rooms: the room, its goals, messages, sessions, action items,
cadence and rating request."""

from __future__ import annotations

from django.urls import URLPattern, path

from upward.mentorship.views import rooms

ROOM = "mentoring/rooms/<int:room_id>/"
SESSION = "mentoring/sessions/<int:session_id>"

urlpatterns: list[URLPattern] = [
    path(ROOM, rooms.room, name="room"),
    path(ROOM + "goals/", rooms.goal_new, name="goal_new"),
    path("mentoring/goals/<int:goal_id>/done/", rooms.goal_done, name="goal_done"),
    path("mentoring/goals/<int:goal_id>/delete/", rooms.goal_delete, name="goal_delete"),
    path(ROOM + "messages/", rooms.message_new, name="message_new"),
    path(ROOM + "sessions/new/", rooms.session_new, name="session_new"),
    path(SESSION + "/", rooms.session, name="session"),
    path(SESSION + "/cancel/", rooms.session_cancel, name="session_cancel"),
    path(SESSION + ".ics", rooms.session_ics, name="session_ics"),
    path(ROOM + "actions/", rooms.action_new, name="action_new"),
    path("mentoring/actions/<int:item_id>/done/", rooms.action_done, name="action_done"),
    path(ROOM + "cadence/", rooms.cadence, name="cadence"),
    path(ROOM + "rating-request/", rooms.rating_request, name="rating_request"),
]
