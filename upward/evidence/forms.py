"""Forms for evidence entries: the entry itself, a confirmation, a request to confirm,
and a collaborator's answer.

Forms parse input into what the services take; the services decide what is allowed
and say why not, naming a field. Lists (links, people who can vouch, collaborators)
are typed one a line, and each competency has its own step picker, so every form
works without JavaScript. A service names an item (`competencies[1].step`,
`links[0].url`); `locate` says which form field shows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils import timezone

from upward.accounts.models import Membership, User
from upward.assessments.models import Placement
from upward.core.http import ServiceForm
from upward.core.visibility import Tier
from upward.engine.framework.models import FrameworkDocument
from upward.engine.level_steps import step_for
from upward.evidence.models import Entry, Relation
from upward.roadmaps.models import Objective

TEXT_MAX = 20_000
LINES_MAX = 20
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STEP_PREFIX = "step__"
LIST_FIELD = re.compile(r"^(?P<name>\w+)\[(?P<index>\d+)\](?:\.(?P<attr>\w+))?$")
STEPS_FIELD = re.compile(r"^steps\.(?P<key>[\w.-]+)$")


def lines(text: str) -> list[str]:
    """The non-empty lines of a text area, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def clean_lines(value: str, *, label: str, most: int = LINES_MAX) -> list[str]:
    found = lines(value)
    if len(found) > most:
        raise ValidationError(f"At most {most} {label}, one a line.")
    return found


def step_choices(doc: FrameworkDocument, competency: str, track: str) -> list[tuple[str, str]]:
    """A competency's steps, with the level code for steps that are levels."""
    out = []
    for step in doc.steps(competency, track):
        try:
            level = doc.level(step.key)
            out.append((step.key, f"{level.code or level.key} · {level.title}"))
        except KeyError:
            out.append((step.key, step.name))
    return out


def members_by_email(members: Iterable[Membership]) -> dict[str, User]:
    return {m.user.email.lower(): m.user for m in members}


def people_field(label: str, help_text: str, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
    )


def parse_people(value: str, members: dict[str, User], *, most: int) -> list[User]:
    """Colleagues typed one address a line (or "Name <address>")."""
    people = []
    for number, line in enumerate(clean_lines(value, label="people", most=most), start=1):
        found = re.search(r"<([^<>\s]+)>", line)
        email = (found[1] if found else line).strip().lower()
        if email not in members:
            raise ValidationError(
                f"Line {number}: nobody in this organization has the address “{email}”."
            )
        people.append(members[email])
    return people


# --- The entry --------------------------------------------------------------------------------


class EntryForm(ServiceForm):
    """An entry's fields, with one step picker per competency of the placement's version."""

    title = forms.CharField(
        label="What you did",
        max_length=300,
        help_text="A short title, like “Moved the billing export to the new queue”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    happened_on = forms.DateField(label="When", widget=DATE)
    impact = forms.CharField(
        label="The impact",
        required=False,
        max_length=TEXT_MAX,
        help_text="What it changed, and for whom. Markdown works.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    body = forms.CharField(
        label="What happened",
        required=False,
        max_length=TEXT_MAX,
        help_text="The story: the situation, what you did, how. Markdown works.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    scope = forms.CharField(
        label="How far it reached",
        required=False,
        max_length=100,
        help_text="Your team, several teams, the company, customers…",
    )
    metric = forms.CharField(
        label="A measure",
        required=False,
        max_length=200,
        help_text="If there is one, like “Time to run the nightly export”.",
    )
    metric_before = forms.CharField(label="Before", required=False, max_length=100)
    metric_after = forms.CharField(label="After", required=False, max_length=100)
    links = forms.CharField(
        label="Links to the work",
        required=False,
        max_length=TEXT_MAX,
        help_text="One a line: the address first, then a label if you like: "
        "“https://git.example.com/pr/42 The pull request”.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    vouchers = forms.CharField(
        label="Who can vouch for it",
        required=False,
        max_length=4000,
        help_text="One a line: a name and role, or an address.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    objective = forms.ChoiceField(label="The objective it serves", required=False)
    collaborators = people_field(
        "Collaborators",
        "Colleagues who share the credit, one address a line. They are told and may "
        "decline being named.",
    )
    visibility = forms.ChoiceField(
        label="Who sees it",
        choices=Tier.choices,
        initial=Tier.MANAGER,
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        data: Any = None,
        *,
        document: FrameworkDocument,
        placement: Placement,
        objectives: Sequence[Objective],
        members: Iterable[Membership],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.document = document
        self.members = members_by_email(members)
        self.objectives = {str(o.pk): o for o in objectives}
        self.fields["objective"].choices = [("", "None")] + [  # type: ignore[attr-defined]
            (str(o.pk), f"{o.title} ({o.get_status_display().lower()})") for o in objectives
        ]
        for competency in document.competencies:
            self.fields[STEP_PREFIX + competency.key] = forms.ChoiceField(
                label=competency.name,
                required=False,
                choices=[
                    ("", "Not shown"),
                    *step_choices(document, competency.key, placement.target_track),
                ],
            )
        self.chosen: list[str] = []

    def step_fields(self) -> list[BoundField]:
        """The step pickers, in the framework's order."""
        return [self[STEP_PREFIX + c.key] for c in self.document.competencies]

    def clean_links(self) -> list[dict[str, str]]:
        out = []
        for line in clean_lines(self.cleaned_data["links"], label="links"):
            url, _, label = line.partition(" ")
            out.append({"url": url, "label": label.strip()})
        return out

    def clean_vouchers(self) -> list[str]:
        return clean_lines(self.cleaned_data["vouchers"], label="people")

    def clean_collaborators(self) -> list[User]:
        return parse_people(self.cleaned_data["collaborators"], self.members, most=LINES_MAX)

    def clean_objective(self) -> Objective | None:
        value = self.cleaned_data["objective"]
        return self.objectives.get(value) if value else None

    def changes(self) -> dict[str, Any]:
        """The service's keyword arguments (the form must be valid)."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith(STEP_PREFIX)}
        picked = [
            (c.key, self.cleaned_data.get(STEP_PREFIX + c.key, ""))
            for c in self.document.competencies
        ]
        self.chosen = [key for key, step in picked if step]
        data["competencies"] = [{"competency": k, "step": s} for k, s in picked if s]
        return data

    def locate(self, field: str | None) -> str | None:
        """The form field that shows an error the service named."""
        found = LIST_FIELD.match(field or "")
        if found is None:
            return field
        if found["name"] == "competencies" and int(found["index"]) < len(self.chosen):
            return STEP_PREFIX + self.chosen[int(found["index"])]
        return found["name"] if found["name"] in self.fields else None


def entry_initial(entry: Entry) -> dict[str, Any]:
    """The edit form's values from a saved entry."""
    initial: dict[str, Any] = {
        key: getattr(entry, key)
        for key in (
            "title",
            "happened_on",
            "impact",
            "body",
            "scope",
            "metric",
            "metric_before",
            "metric_after",
            "visibility",
        )
    }
    initial["links"] = "\n".join(f"{x['url']} {x['label']}".strip() for x in entry.links)
    initial["vouchers"] = "\n".join(entry.vouchers)
    initial["objective"] = str(entry.objective_id or "")
    initial["collaborators"] = "\n".join(c.user.email for c in entry.collaborators.all())
    for c in entry.competencies:
        initial[STEP_PREFIX + c["competency"]] = c["step"]
    return initial


def new_entry_initial(
    doc: FrameworkDocument, placement: Placement, objective: Objective | None, chosen: list[str]
) -> dict[str, Any]:
    """A new entry's values: today, and an objective's competencies at its target step
    (with its completion link) or the competencies asked for at the target level."""
    initial: dict[str, Any] = {"happened_on": timezone.localdate(), "visibility": Tier.MANAGER}
    keys = list(chosen)
    step = placement.target_level
    if objective is not None:
        keys = list(objective.competencies)
        step = objective.target_step or placement.target_level
        initial["objective"] = str(objective.pk)
        initial["visibility"] = objective.visibility
        if objective.completion_link:
            initial["links"] = objective.completion_link
    known = {c.key for c in doc.competencies}
    for key in keys:
        if key in known:
            initial[STEP_PREFIX + key] = step_for(doc, key, step)
    return initial


# --- Confirming, asking, answering ----------------------------------------------------------


class ConfirmForm(ServiceForm):
    """Someone vouches for an entry: how they know the member, and the step each
    competency shows (blank: they can't say)."""

    prefix = "confirm"
    relation = forms.ChoiceField(
        label="You know their work as their", choices=Relation.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="What you saw",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, data: Any = None, *, entry: Entry, document: FrameworkDocument, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        names = {c.key: c.name for c in document.competencies}
        track = entry.placement.target_track
        self.keys = [c["competency"] for c in entry.competencies]
        for c in entry.competencies:
            key = c["competency"]
            try:
                choices = step_choices(document, key, track)
            except KeyError:
                continue  # gone from the version: nothing to state
            self.fields[STEP_PREFIX + key] = forms.ChoiceField(
                label=names.get(key, key),
                required=False,
                choices=[("", "Can't say"), *choices],
                initial=c["step"],
            )

    def step_fields(self) -> list[BoundField]:
        return [self[name] for name in self.fields if name.startswith(STEP_PREFIX)]

    def steps(self) -> dict[str, str]:
        return {
            name.removeprefix(STEP_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(STEP_PREFIX)
        }

    def locate(self, field: str | None) -> str | None:
        found = STEPS_FIELD.match(field or "")
        if found is not None:
            return STEP_PREFIX + found["key"]
        return None if field in ("steps", "by") else field


class RequestForm(ServiceForm):
    """The owner asks colleagues to confirm an entry."""

    prefix = "ask"
    people = people_field(
        "Whom to ask",
        "One colleague's address a line; they must be able to see the entry.",
        required=True,
    )
    message = forms.CharField(
        label="A word for them",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data: Any = None, *, members: Iterable[Membership], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.members = members_by_email(members)

    def clean_people(self) -> list[User]:
        found = parse_people(self.cleaned_data["people"], self.members, most=10)
        if not found:
            raise ValidationError("Give at least one colleague's address.")
        return found

    @staticmethod
    def locate(field: str | None) -> str | None:
        found = LIST_FIELD.match(field or "")
        return found["name"] if found else field


class AnswerForm(ServiceForm):
    """A collaborator accepts or declines being named."""

    answer = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
