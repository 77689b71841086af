"""Forms for mentor profiles, the directory's filters, verification, requests and the
organization's mentorship settings.

Forms parse input into what the services take; the services decide what is allowed
and say why not, naming a field. A service names an offer of the list
(`offers[1].step`); `locate` says which field of the form shows it.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

from upward.core.http import ServiceForm
from upward.core.visibility import Tier
from upward.engine.framework.models import FrameworkDocument
from upward.mentorship.models import PROFILE_TIERS, Cadence, MentorProfile, Reach
from upward.mentorship.selectors.profiles import DirectoryFilters
from upward.mentorship.services import profiles as services
from upward.mentorship.services import requests as request_services

OFFER_ROWS = 4  # empty rows shown for new offers, after the existing ones
LISTED = re.compile(r"^offers\[(?P<index>\d+)\](?:\.(?P<attr>\w+))?$")


class ProfileForm(ServiceForm):
    """A mentor's profile; each offer is one row of two pickers (competency, step)."""

    bio = forms.CharField(
        label="About you as a mentor",
        required=False,
        max_length=services.BIO_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you have done and what you like helping with.",
    )
    capacity = forms.IntegerField(
        label="Mentees at once", help_text="At least the number you mentor now."
    )
    cadence = forms.ChoiceField(label="Check-ins you can keep", choices=Cadence.choices)
    time_zone = forms.CharField(
        label="Time zone",
        required=False,
        max_length=64,
        help_text="An IANA name, like Europe/Paris or America/New_York.",
    )
    languages = forms.CharField(
        label="Languages",
        required=False,
        max_length=200,
        help_text="Codes separated by commas: en, fr, pt-br.",
    )
    reach = forms.ChoiceField(
        label="Whom you mentor", choices=Reach.choices, widget=forms.RadioSelect
    )
    visibility = forms.ChoiceField(
        label="Who finds your profile",
        choices=[(t, Tier(t).label) for t in PROFILE_TIERS],
        widget=forms.RadioSelect,
    )
    accepting = forms.BooleanField(label="Taking new mentees", required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        document: FrameworkDocument | None,
        track: str = "",
        profile: MentorProfile | None = None,
        **kwargs: Any,
    ) -> None:
        existing = list(profile.offers.all()) if profile is not None else []
        initial = _initial(profile, existing)
        super().__init__(data, initial=initial, **kwargs)
        competencies = [(c.key, c.name) for c in document.competencies] if document else []
        steps: dict[str, str] = {}
        if document is not None:
            for c in document.competencies:
                for s in document.steps(c.key, track or None):
                    steps.setdefault(s.key, s.name)
        self.rows = len(existing) + OFFER_ROWS
        for n in range(self.rows):
            self.fields[f"offer_{n}_competency"] = forms.ChoiceField(
                label=f"Competency {n + 1}", required=False, choices=[("", "—"), *competencies]
            )
            self.fields[f"offer_{n}_step"] = forms.ChoiceField(
                label="Up to", required=False, choices=[("", "—"), *steps.items()]
            )

    def offer_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"offer_{n}_competency"], self[f"offer_{n}_step"]) for n in range(self.rows)]

    def offers(self) -> list[services.OfferIn]:
        out = []
        for n in range(self.rows):
            competency = self.cleaned_data.get(f"offer_{n}_competency") or ""
            step = self.cleaned_data.get(f"offer_{n}_step") or ""
            if competency or step:
                out.append(services.OfferIn(competency=competency, step=step))
        return out

    def locate(self, field: str | None) -> str | None:
        found = LISTED.match(field or "")
        if found is None:
            return field
        # The n-th offer given is the n-th filled row.
        filled = [
            n
            for n in range(self.rows)
            if self.cleaned_data.get(f"offer_{n}_competency")
            or self.cleaned_data.get(f"offer_{n}_step")
        ]
        index = int(found["index"])
        row = filled[index] if index < len(filled) else 0
        return f"offer_{row}_{found['attr'] or 'competency'}"

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "bio": data["bio"],
            "capacity": data["capacity"],
            "cadence": data["cadence"],
            "time_zone": data["time_zone"].strip(),
            "languages": [x for x in re.split(r"[,\s]+", data["languages"]) if x],
            "reach": data["reach"],
            "visibility": data["visibility"],
            "accepting": data["accepting"],
            "offers": self.offers(),
        }


def _initial(profile: MentorProfile | None, offers: list[Any]) -> dict[str, Any]:
    if profile is None:
        return {
            "capacity": 2,
            "cadence": Cadence.FORTNIGHTLY,
            "reach": Reach.ORGANIZATION,
            "visibility": Tier.ORGANIZATION,
            "accepting": True,
        }
    initial: dict[str, Any] = {
        "bio": profile.bio,
        "capacity": profile.capacity,
        "cadence": profile.cadence,
        "time_zone": profile.time_zone,
        "languages": ", ".join(profile.languages),
        "reach": profile.reach,
        "visibility": profile.visibility,
        "accepting": profile.accepting,
    }
    for n, offer in enumerate(offers):
        initial[f"offer_{n}_competency"] = offer.competency
        initial[f"offer_{n}_step"] = offer.step
    return initial


class DirectoryForm(forms.Form):
    """The directory's filters, read from the query string (every one optional)."""

    competency = forms.ChoiceField(label="Competency", required=False)
    step = forms.ChoiceField(label="At least up to", required=False)
    verified = forms.BooleanField(label="Verified only", required=False)
    overlap = forms.IntegerField(
        label="Shared working hours",
        required=False,
        min_value=0,
        max_value=8,
        help_text="Between 9:00 and 17:00 in each time zone; uses the time zone in your account.",
    )
    language = forms.CharField(label="Language", required=False, max_length=16)
    open = forms.BooleanField(label="With a place open", required=False)

    def __init__(self, data: Any, *, document: FrameworkDocument | None, track: str = "") -> None:
        super().__init__(data)
        competencies = [(c.key, c.name) for c in document.competencies] if document else []
        steps: dict[str, str] = {}
        if document is not None:
            for c in document.competencies:
                for s in document.steps(c.key, track or None):
                    steps.setdefault(s.key, s.name)
        self.fields["competency"].choices = [("", "Any"), *competencies]  # type: ignore[attr-defined]
        self.fields["step"].choices = [("", "Any"), *steps.items()]  # type: ignore[attr-defined]

    def filters(self) -> DirectoryFilters:
        if not self.is_valid():
            return DirectoryFilters()
        data = self.cleaned_data
        return DirectoryFilters(
            competency=data["competency"] or "",
            step=data["step"] or "",
            verified=bool(data["verified"]),
            overlap=data["overlap"] or 0,
            language=(data["language"] or "").strip(),
            open_only=bool(data["open"]),
        )


class VerifyForm(ServiceForm):
    """A person's verification of one offer, with what it rests on."""

    competency = forms.CharField(widget=forms.HiddenInput, max_length=100)
    basis = forms.CharField(
        label="What it rests on",
        required=False,
        max_length=services.BASIS_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you saw: “led the payments guild for two years”.",
    )


class RequestForm(ServiceForm):
    """Asking a mentor: a message and the gaps it is about."""

    message = forms.CharField(
        label="Message",
        required=False,
        max_length=request_services.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you hope to work on together.",
    )
    competencies = forms.MultipleChoiceField(
        label="About", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data: Any = None, *, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["competencies"].choices = choices  # type: ignore[attr-defined]

    def locate(self, field: str | None) -> str | None:
        if field and field.startswith("competencies["):
            return "competencies"
        if field == "mentor":
            return None
        return field


class DeclineForm(ServiceForm):
    reason = forms.CharField(
        label="Reason (they read it)",
        required=False,
        max_length=request_services.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SettingsForm(ServiceForm):
    allow_outside_mentors = forms.BooleanField(
        label="Members may find mentors from outside the organization",
        required=False,
        help_text="Mentors of other organizations who mentor anyone and show their profile"
        " to anyone. They see only what each mentee shares with mentors.",
    )
