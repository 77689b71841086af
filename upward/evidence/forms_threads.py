"""Forms for growth threads: opening and editing a thread, updates and replies,
reactions, and promoting an update to an evidence entry.

Forms parse input into what the services take; the services decide what is allowed
and say why not, naming a field. A service names an item of a list
(`competencies[1].step`); `locate` says which field of the form shows it.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

from upward.core.http import ServiceForm
from upward.core.visibility import Tier
from upward.engine.framework.models import FrameworkDocument
from upward.evidence.models import Post, ReactionKind
from upward.evidence.services import threads as services

# Competency and step pairs the promote form offers.
PROMOTE_ROWS = 3
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# `competencies[1]` or `competencies[1].step`, as the services name them.
LISTED = re.compile(r"^competencies\[(?P<index>\d+)\](?:\.(?P<attr>\w+))?$")


def body_field(label: str, rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=services.BODY_MAX,
        help_text="Markdown: **bold**, *italic*, lists, `code`, [links](https://…).",
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ThreadForm(ServiceForm):
    """A thread's title, tags, objective and audience; and its first update when opening it."""

    title = forms.CharField(
        label="What are you working on?",
        max_length=services.TITLE_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label="First update",
        required=False,
        max_length=services.BODY_MAX,
        help_text="Where you start from and what you hope to learn. Markdown works.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    competencies = forms.MultipleChoiceField(
        label="Competencies it grows", required=False, widget=forms.CheckboxSelectMultiple
    )
    objective = forms.TypedChoiceField(
        label="Objective it serves", required=False, coerce=int, empty_value=None
    )
    visibility = forms.ChoiceField(
        label="Who reads it",
        choices=Tier.choices,
        initial=Tier.ORGANIZATION,
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        data: Any = None,
        *,
        document: FrameworkDocument | None,
        objectives: list[Any],
        creating: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        tags = [(c.key, c.name) for c in document.competencies] if document else []
        self.fields["competencies"].choices = tags  # type: ignore[attr-defined]
        self.fields["objective"].choices = [  # type: ignore[attr-defined]
            ("", "None"),
            *((o.pk, o.title) for o in objectives),
        ]
        self.objectives = {o.pk: o for o in objectives}
        if not creating:
            del self.fields["body"]

    def changes(self) -> dict[str, Any]:
        """The service's keyword arguments (the form must be valid)."""
        data = dict(self.cleaned_data)
        data["objective"] = self.objectives.get(data["objective"]) if data["objective"] else None
        return data

    @staticmethod
    def locate(field: str | None) -> str | None:
        return "competencies" if LISTED.match(field or "") else field


class UpdateForm(ServiceForm):
    prefix = "update"
    body = body_field("Your update")


class ReplyForm(ServiceForm):
    prefix = "reply"
    body = body_field("Your reply", rows=3)


class EditForm(ServiceForm):
    body = body_field("Text", rows=8)


class ReactForm(ServiceForm):
    """Give a reaction (`on`) or take it back."""

    kind = forms.ChoiceField(choices=ReactionKind.choices)
    on = forms.BooleanField(required=False)


class PromoteForm(ServiceForm):
    """An update as an evidence entry: what it shows (competency and step pairs), and
    optionally another title, day, impact and audience than the thread's."""

    title = forms.CharField(label="Title", required=False, max_length=300)
    happened_on = forms.DateField(label="When it happened", required=False, widget=DATE)
    impact = forms.CharField(
        label="What it changed",
        required=False,
        max_length=services.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visibility = forms.ChoiceField(
        label="Who sees the entry",
        required=False,
        choices=[("", "Same as the thread"), *Tier.choices],
    )

    def __init__(
        self,
        data: Any = None,
        *,
        post: Post,
        document: FrameworkDocument | None,
        track: str,
        tags: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, prefix=f"promote-{post.pk}", **kwargs)
        competencies = [("", "—")]
        if document is not None:
            competencies += [(c.key, c.name) for c in document.competencies]
        steps = step_choices(document, track)
        for i in range(PROMOTE_ROWS):
            self.fields[f"competency_{i}"] = forms.ChoiceField(
                label="Competency", required=False, choices=competencies
            )
            self.fields[f"step_{i}"] = forms.ChoiceField(
                label="Step", required=False, choices=steps
            )
            if i < len(tags):
                self.fields[f"competency_{i}"].initial = tags[i]

    @property
    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"competency_{i}"], self[f"step_{i}"]) for i in range(PROMOTE_ROWS)]

    def competencies(self) -> list[dict[str, str]]:
        """The pairs filled in, as the service takes them (the form must be valid)."""
        data = self.cleaned_data
        return [
            {"competency": data[f"competency_{i}"], "step": data[f"step_{i}"]}
            for i in range(PROMOTE_ROWS)
            if data[f"competency_{i}"] or data[f"step_{i}"]
        ]

    @staticmethod
    def locate(field: str | None) -> str | None:
        found = LISTED.match(field or "")
        if found is not None:
            kind = "step" if found["attr"] == "step" else "competency"
            return f"{kind}_{found['index']}"
        return "competency_0" if field == "competencies" else field


def step_choices(document: FrameworkDocument | None, track: str) -> list[tuple[str, Any]]:
    """The levels of the track, then each own-scale competency's steps."""
    choices: list[tuple[str, Any]] = [("", "—")]
    if document is None:
        return choices
    choices.append(("Levels", [(lv.key, lv.label) for lv in document.levels_of(track)]))
    for competency in document.competencies:
        if competency.scale:
            choices.append((competency.name, [(s.key, s.name) for s in competency.scale]))
    return choices
