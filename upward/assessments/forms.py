"""Forms for placements, ratings and feedback requests.

Forms only parse input into types; the services decide what is allowed and say
why not (their errors land on these forms through `service_errors`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from upward.accounts.models import Membership, User
from upward.assessments.models import Source
from upward.assessments.services import Rater, Rating
from upward.core.http import ServiceForm
from upward.core.visibility import Tier
from upward.engine.framework.models import FrameworkDocument
from upward.frameworks.models import FrameworkVersion

MESSAGE_MAX = 2000
ANSWER_MAX = 4000
EMAILS_MAX = 5000


# --- Placement --------------------------------------------------------------------


def version_label(version: FrameworkVersion) -> str:
    """How a framework version reads in the picker: name, owner, version number."""
    framework = version.framework
    owner = framework.organization.name if framework.organization else "Upward library"
    return f"{framework.name} ({owner}, version {version.number})"


def level_choices(doc: FrameworkDocument) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every level grouped by track; values are `track:level`."""
    return [
        (track.name, [(f"{track.key}:{lv.key}", lv.label) for lv in doc.levels_of(track.key)])
        for track in doc.tracks
    ]


class PlacementForm(ServiceForm):
    """Framework version, current level and target level (values are `track:level`)."""

    version = forms.TypedChoiceField(label="Framework", coerce=int)
    current_level = forms.ChoiceField(
        label="Where you are now",
        help_text="The level you hold today, as your organization would say it.",
    )
    target_level = forms.ChoiceField(
        label="Where you're heading",
        required=False,
        help_text="Usually the next level on your track; another track is fine too "
        "(say, moving from engineering into management).",
    )

    def __init__(
        self,
        data: Any = None,
        *,
        versions: Sequence[FrameworkVersion],
        document: FrameworkDocument | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["version"].choices = [(v.pk, version_label(v)) for v in versions]  # type: ignore[attr-defined]
        levels = level_choices(document) if document else []
        self.fields["current_level"].choices = [("", "Choose your level"), *levels]  # type: ignore[attr-defined]
        self.fields["target_level"].choices = [("", "The next level on my track"), *levels]  # type: ignore[attr-defined]

    def placement(self) -> dict[str, str]:
        """The service's keyword arguments for the levels (the form must be valid)."""
        track, _, current = self.cleaned_data["current_level"].partition(":")
        target_track, _, target = (self.cleaned_data["target_level"] or ":").partition(":")
        return {
            "track": track,
            "current_level": current,
            "target_track": target_track,
            "target_level": target,
        }


# --- Step pickers (self-assessment, manager rating, feedback answers) -------------


@dataclass
class StepOption:
    """One step a competency can be rated at, with what the framework says of it."""

    key: str
    code: str  # short: "IC3", or the step's name on a competency's own scale
    title: str  # "Senior Engineer"; empty for own-scale steps
    text: str  # the expectation at this step
    is_current: bool = False
    is_target: bool = False


@dataclass
class Pick:
    """One competency to rate: its steps, the texts to read, and what was chosen."""

    key: str
    name: str
    kind: str
    area: str
    options: list[StepOption]
    near: list[StepOption]  # the steps around the current and target levels
    far: list[StepOption]  # the others, folded away
    current_text: str
    target_text: str
    current_code: str
    target_code: str
    expected: str | None  # the step the target level asks for
    expected_code: str = ""
    chosen: str = ""
    sometimes: bool = False
    previous: str = ""  # "IC3 on 4 May": the last rating this rater gave
    errors: list[str] = field(default_factory=list)
    saved: bool = False

    @property
    def far_open(self) -> bool:
        """Unfold the other steps when one of them is chosen."""
        return any(o.key == self.chosen for o in self.far)


class StepsForm(ServiceForm):
    """One step (and "sometimes reaches the target") per competency in `picks`.

    Fields are `step-<competency>` and `sometimes-<competency>`; with `questions`,
    also the two open questions of a feedback request.
    """

    def __init__(
        self, data: Any = None, *, picks: Iterable[Pick], questions: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.picks = {p.key: p for p in picks}
        for pick in self.picks.values():
            self.fields[f"step-{pick.key}"] = forms.ChoiceField(
                label=pick.name,
                required=False,
                choices=[("", "Not rated"), *((o.key, o.code) for o in pick.options)],
                error_messages={
                    "invalid_choice": f"“%(value)s” is not a step of {pick.name}; "
                    "pick one of the steps listed."
                },
            )
            self.fields[f"sometimes-{pick.key}"] = forms.BooleanField(required=False)
        if questions:
            self.fields["consistent_at"] = forms.CharField(
                required=False, max_length=ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 4})
            )
            self.fields["biggest_gap"] = forms.CharField(
                required=False, max_length=ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 4})
            )

    def ratings(self, only: str | None = None) -> list[Rating]:
        """The competencies given a step (just `only`, when named); the form must be valid."""
        out = []
        for pick in self.picks.values():
            if only is not None and pick.key != only:
                continue
            step = self.cleaned_data[f"step-{pick.key}"]
            if not step:
                continue
            sometimes = ""
            if self.cleaned_data[f"sometimes-{pick.key}"] and pick.expected:
                keys = [o.key for o in pick.options]
                # "Sometimes reaches the target" says nothing once the step already reaches it.
                if pick.expected in keys and keys.index(step) < keys.index(pick.expected):
                    sometimes = pick.expected
            out.append(Rating(competency=pick.key, step=step, sometimes=sometimes))
        return out


# --- Feedback requests ----------------------------------------------------------------


def person_label(membership: Membership) -> str:
    user = membership.user
    return f"{user.name} ({user.email})" if user.name else user.email


SCOPES = [
    ("all", "Every competency"),
    ("gaps", "My current top gaps"),
    ("custom", "Let me choose"),
]
RELATIONSHIPS = [(s.value, s.label) for s in (Source.MANAGER, Source.PEER, Source.MENTOR)]
ANSWER_AUDIENCES = [
    (Tier.PRIVATE.value, "Only me"),
    (Tier.MANAGER.value, "Me and my manager"),
]


class FeedbackRequestForm(ServiceForm):
    """Whom to ask, as what, about which competencies, and whether anonymously."""

    rater = forms.TypedMultipleChoiceField(
        label="People in your organization",
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text="Choose one or several; each gets a request of their own.",
    )
    email = forms.CharField(
        label="Or email addresses",
        required=False,
        max_length=EMAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For people without an account, separated by commas or new lines: "
        "each gets a link that works once.",
    )
    relationship = forms.ChoiceField(
        label="They are your", choices=RELATIONSHIPS, initial="peer", widget=forms.RadioSelect
    )
    scope = forms.ChoiceField(
        label="Ask about", choices=SCOPES, initial="all", widget=forms.RadioSelect
    )
    competencies = forms.MultipleChoiceField(
        label="Competencies", required=False, widget=forms.CheckboxSelectMultiple
    )
    anonymous = forms.BooleanField(label="Make the answer anonymous", required=False)
    answer_visibility = forms.ChoiceField(
        label="Who reads the written answer",
        choices=ANSWER_AUDIENCES,
        initial=Tier.PRIVATE.value,
        required=False,  # left out means only me
        widget=forms.RadioSelect,
    )
    allow_duplicate = forms.BooleanField(
        label="Send anyway, though a request to them is still waiting", required=False
    )
    message = forms.CharField(
        label="A note to them",
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Say what you're working on, or which project they saw you in.",
    )

    def __init__(
        self,
        data: Any = None,
        *,
        members: Iterable[Membership],
        competencies: Sequence[tuple[str, str]],
        top_gaps: Sequence[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        people = [(m.user_id, person_label(m)) for m in members]
        self.fields["rater"].choices = people  # type: ignore[attr-defined]
        self.fields["competencies"].choices = list(competencies)  # type: ignore[attr-defined]
        self.top_gaps = list(top_gaps)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = data.get("scope")
        if scope == "gaps" and not self.top_gaps:
            self.add_error(
                "scope",
                "You have no top gaps yet (nobody has rated you below the target). "
                "Ask about every competency, or choose some.",
            )
        if scope == "custom" and not data.get("competencies"):
            self.add_error("competencies", "Tick at least one competency.")
        return data

    def clean_answer_visibility(self) -> str:
        return self.cleaned_data.get("answer_visibility") or Tier.PRIVATE.value

    def emails(self) -> list[str]:
        """The email addresses given, in order (checked by the service)."""
        return [e for e in re.split(r"[\s,;]+", self.cleaned_data["email"]) if e]

    def raters(self, people: Mapping[int, User]) -> list[Rater]:
        """Everyone to ask: the chosen people first, then the email addresses."""
        chosen = [Rater(user=people[pk]) for pk in self.cleaned_data["rater"]]
        return chosen + [Rater(email=e) for e in self.emails()]

    def place_rater_error(self) -> None:
        """Move a service error about one rater (`raters.<index>`) onto the field it came
        from: the people chosen come first, the email addresses after."""
        error = self.service_error
        if error is None or not (error.field or "").startswith("raters."):
            return
        index = int((error.field or "").removeprefix("raters."))
        self.errors.pop(NON_FIELD_ERRORS, None)
        where = "rater" if index < len(self.cleaned_data.get("rater") or []) else "email"
        self.add_error(where, error.message)

    def chosen_competencies(self) -> list[str]:
        """The competency keys to ask about; empty means all of them (the service's default)."""
        scope = self.cleaned_data["scope"]
        if scope == "gaps":
            return self.top_gaps
        if scope == "custom":
            return list(self.cleaned_data["competencies"])
        return []
