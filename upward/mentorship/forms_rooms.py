"""Forms for a room: goals, messages, sessions (booking, agenda and notes), action items,
the cadence. They parse input into what the services take; the services decide what is
allowed and say why not, naming the field."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.accounts.models import User
from upward.core.http import ServiceForm
from upward.mentorship.models import Cadence, Room
from upward.mentorship.services import rooms as services
from upward.mentorship.services import sessions

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MARKDOWN_HELP = "Markdown: **bold**, *italic*, lists, [links](https://…)."


class RoomForm(ServiceForm):
    """One of the several forms on a room's page: its fields' ids start with `id_prefix`,
    so two forms with a `title` field don't share an id (and a label its input)."""

    id_prefix = "room"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class GoalForm(RoomForm):
    """A goal's title, and optionally one of the mentee's open objectives it serves."""

    id_prefix = "goal"

    title = forms.CharField(label="Goal", max_length=services.TITLE_MAX)
    objective = forms.TypedChoiceField(
        label="Objective it serves", required=False, coerce=int, empty_value=None
    )

    def __init__(self, data: Any = None, *, objectives: list[Any], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["objective"].choices = [  # type: ignore[attr-defined]
            ("", "None"),
            *((o.pk, o.title) for o in objectives),
        ]


class MessageForm(RoomForm):
    id_prefix = "message"

    body = forms.CharField(
        label="Message",
        error_messages={"required": "Write something first."},
        max_length=services.BODY_MAX,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SessionForm(RoomForm):
    """When a session starts, how long it lasts, and an agenda (generated when blank)."""

    id_prefix = "session"

    starts_at = forms.DateTimeField(
        label="Starts at", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    minutes = forms.IntegerField(
        label="Minutes", initial=45, min_value=sessions.MINUTES_MIN, max_value=sessions.MINUTES_MAX
    )
    agenda = forms.CharField(
        label="Agenda",
        required=False,
        max_length=sessions.TEXT_MAX,
        help_text="Leave it blank to start from the open objectives, overdue action items "
        "and new evidence. " + MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class SessionEditForm(RoomForm):
    """A session's agenda and notes, and whether it was held."""

    id_prefix = "session"

    agenda = forms.CharField(
        label="Agenda",
        required=False,
        max_length=sessions.TEXT_MAX,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=sessions.TEXT_MAX,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    held = forms.BooleanField(label="We held this session", required=False)


class ActionForm(RoomForm):
    """What, who (the mentor or the mentee) and by when."""

    id_prefix = "action"

    title = forms.CharField(label="Action", max_length=services.TITLE_MAX)
    owner = forms.TypedChoiceField(label="Who", coerce=int)
    due_on = forms.DateField(label="Due", widget=DATE)

    def __init__(self, data: Any = None, *, room: Room, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.room = room
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            (room.mentee_id, f"{room.mentee.display_name} (mentee)"),
            (room.mentor_id, f"{room.mentor.display_name} (mentor)"),
        ]

    def picked_owner(self) -> User:
        """The owner picked, one of the room's two people (the choices allow no one else)."""

        picked = self.cleaned_data["owner"]
        return self.room.mentor if picked == self.room.mentor_id else self.room.mentee


class DoneForm(RoomForm):
    """Mark done, or (unchecked) open again."""

    id_prefix = "done"

    done = forms.BooleanField(required=False)


class CadenceForm(RoomForm):
    id_prefix = "cadence"

    cadence = forms.ChoiceField(label="Check in", choices=Cadence.choices)


class RatingRequestForm(RoomForm):
    id_prefix = "rating"

    message = forms.CharField(
        label="A note to your mentor",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
