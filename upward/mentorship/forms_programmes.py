"""Forms for cohort programmes: opening one, joining it, and pairing by hand.

Forms parse input into what the services take; the services decide what is allowed
and say why not, naming a field (`avoid[2]`, which the join form shows on `avoid`).
"""

from __future__ import annotations

from typing import Any

from django import forms

from upward.core.http import ServiceForm
from upward.mentorship.models import Cadence, ParticipantRole
from upward.mentorship.services import programmes as services

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgrammeForm(ServiceForm):
    """A new programme: its name, what it is for, its dates and the rooms' cadence."""

    name = forms.CharField(label="Name", max_length=services.NAME_MAX)
    description = forms.CharField(
        label="What it is for",
        required=False,
        max_length=services.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who it is for and what the pairs work on. Markdown works.",
    )
    starts_on = forms.DateField(label="Starts on", widget=DATE)
    ends_on = forms.DateField(label="Ends on", widget=DATE)
    cadence = forms.ChoiceField(
        label="Check-ins",
        choices=Cadence.choices,
        initial=Cadence.FORTNIGHTLY,
        help_text="How often each pair's room expects a session.",
    )


class JoinForm(ServiceForm):
    """Join as a mentee (naming mentors to avoid) or as a mentor (with a number of places)."""

    role = forms.ChoiceField(
        label="Join as", choices=ParticipantRole.choices, widget=forms.RadioSelect
    )
    capacity = forms.IntegerField(
        label="Mentees you can take",
        required=False,
        min_value=0,
        max_value=50,
        initial=1,
        help_text="Mentors only: at most your open places.",
    )
    avoid = forms.TypedMultipleChoiceField(
        label="Mentors you'd rather not be matched with",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Mentees only. Your own manager is never proposed.",
    )

    def __init__(self, data: Any = None, *, mentors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["avoid"].choices = mentors  # type: ignore[attr-defined]

    @staticmethod
    def locate(field: str | None) -> str | None:
        return "avoid" if (field or "").startswith("avoid[") else field


class PairForm(ServiceForm):
    """Pair a mentee with a mentor by hand (replacing the mentee's pair, if any)."""

    prefix = "pair"
    mentee = forms.TypedChoiceField(label="Mentee", coerce=int)
    mentor = forms.TypedChoiceField(label="Mentor", coerce=int)

    def __init__(
        self,
        data: Any = None,
        *,
        mentees: list[tuple[int, str]],
        mentors: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["mentee"].choices = mentees  # type: ignore[attr-defined]
        self.fields["mentor"].choices = mentors  # type: ignore[attr-defined]
