"""Forms for objectives, milestones, proposals and templates.

Forms parse input into the types the services take; the services decide what is
allowed and say why not, naming a field. Lists (success criteria, stakeholders,
milestones, evidence) are typed one item a line, so every form works without
JavaScript. A service names an item of a list (`milestones[2].due_on`,
`objectives[1].title`); `locate` says which field of the form shows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from upward.accounts.models import Membership, Team
from upward.core.http import ServiceForm
from upward.core.visibility import Tier
from upward.engine.framework.models import FrameworkDocument
from upward.roadmaps.models import Kind, Objective
from upward.roadmaps.services import MilestoneIn, StakeholderIn

TEXT_MAX = 4000
LINES_MAX = 20
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
QUARTER = re.compile(r"^\d{4}-Q[1-4]$")
# "2027-03-01 Design note reviewed": an optional ISO date, then the title.
DATED_LINE = re.compile(r"^(?P<day>\d{4}-\d{2}-\d{2})\s*[:\-\u2013\u2014]?\s*(?P<title>.*)$")
# "2: Design note reviewed" or "week 2: ...": a week number, then the title.
WEEK_LINE = re.compile(
    r"^(?:week\s*)?(?P<week>\d{1,2})\s*[:\-\u2013\u2014.]\s*(?P<title>.+)$", re.I
)
# "Priya Shah <priya@example.com>", "priya@example.com" or "Priya Shah".
PERSON_LINE = re.compile(r"^(?P<name>[^<>]*?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>$")
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
PROPOSAL_FIELD = re.compile(r"^proposals\[(?P<index>\d+)\](?:\.(?P<attr>\w+))?")
TEMPLATE_FIELD = re.compile(r"^(?P<objective>objectives\[\d+\])\.(?P<attr>\w+)")
LIST_FIELD = re.compile(r"^(?P<name>\w+)\[(?P<index>\d+)\](?:\.(?P<attr>\w+))?$")


def lines(text: str) -> list[str]:
    """The non-empty lines of a text area, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def lines_field(label: str, help_text: str, *, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def clean_lines(value: str, *, label: str) -> list[str]:
    found = lines(value)
    if len(found) > LINES_MAX:
        raise ValidationError(f"At most {LINES_MAX} {label}, one a line.")
    return found


def dated_lines(value: str) -> list[MilestoneIn]:
    """Milestones typed one a line, each with an optional leading date (YYYY-MM-DD)."""
    out = []
    for number, line in enumerate(clean_lines(value, label="milestones"), start=1):
        found = DATED_LINE.match(line)
        if found is None:
            out.append(MilestoneIn(title=line))
            continue
        try:
            day = date.fromisoformat(found["day"])
        except ValueError:
            raise ValidationError(
                f"Line {number}: “{found['day']}” is not a date; write it as YYYY-MM-DD."
            ) from None
        if not found["title"].strip():
            raise ValidationError(f"Line {number}: give the milestone a title after its date.")
        out.append(MilestoneIn(title=found["title"].strip(), due_on=day))
    return out


def milestone_lines(milestones: Iterable[tuple[str, date | None]]) -> str:
    """Milestones back into the lines `dated_lines` reads."""
    return "\n".join(f"{day.isoformat()} {title}" if day else title for title, day in milestones)


def step_choices(doc: FrameworkDocument, track: str) -> list[tuple[str, Any]]:
    """The levels of the track, then each own-scale competency's steps."""
    choices: list[tuple[str, Any]] = [("", "What my target level expects")]
    choices.append(("Levels", [(lv.key, lv.label) for lv in doc.levels_of(track)]))
    for competency in doc.competencies:
        if competency.scale:
            steps = [(s.key, s.name) for s in competency.scale]
            choices.append((competency.name, steps))
    return choices


# --- Objectives ------------------------------------------------------------------------------


class Stakeholders:
    """Reads the stakeholder lines: colleagues by email, teams by name, anyone else as typed."""

    def __init__(self, members: Iterable[Membership], teams: Iterable[Team]) -> None:
        self.people = {m.user.email.lower(): m.user for m in members}
        self.teams = {t.name.lower(): t for t in teams}

    def parse(self, line: str) -> StakeholderIn:
        found = PERSON_LINE.match(line)
        name, email = (found["name"], found["email"]) if found else ("", "")
        if found is None and EMAIL.match(line):
            email = line
        elif found is None:
            name = line
        if email and email.lower() in self.people:
            user = self.people[email.lower()]
            return StakeholderIn(name=name or user.display_name, user_id=user.pk)
        if not email and name.lower() in self.teams:
            return StakeholderIn(name=name, team_id=self.teams[name.lower()].pk)
        return StakeholderIn(name=name, email=email)

    @staticmethod
    def lines_of(objective: Objective) -> str:
        """An objective's stakeholders as the lines `parse` reads back."""
        out = []
        for s in objective.stakeholders.all():
            email = s.email or (s.user.email if s.user else "")
            out.append(f"{s.name} <{email}>" if email and s.name else (email or s.name))
        return "\n".join(out)


class ObjectiveForm(ServiceForm):
    """An objective's fields; milestones only when creating (later they are a checklist)."""

    title = forms.CharField(
        label="Objective",
        max_length=300,
        help_text="One sentence: what you will do, what it delivers, and for whom, "
        "how much or by when.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    description = forms.CharField(
        label="Details",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kind = forms.ChoiceField(label="Kind", choices=Kind.choices, initial=Kind.INITIATIVE)
    competencies = forms.MultipleChoiceField(
        label="Competencies it shows", widget=forms.CheckboxSelectMultiple
    )
    target_step = forms.ChoiceField(label="Step it aims at", required=False)
    success_criteria = lines_field(
        "Success criteria", "One a line: what anyone could check once it's done."
    )
    due_on = forms.DateField(label="Due on", required=False, widget=DATE)
    quarter = forms.CharField(
        label="Or a quarter",
        required=False,
        max_length=20,
        help_text="Like 2027-Q3; it ends on the quarter's last day.",
        widget=forms.TextInput(attrs={"placeholder": "2027-Q3", "inputmode": "text"}),
    )
    stakeholders = lines_field(
        "Stakeholders",
        "One a line: a colleague's email address, a team's name, or anyone else as "
        "“Name &lt;email&gt;”, or just a name or a role.",
    )
    milestones = lines_field(
        "Milestones",
        "One a line, each with an optional date first: “2027-03-01 Design note reviewed”.",
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
        track: str,
        stakeholders: Stakeholders,
        creating: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        choices = [(c.key, c.name) for c in document.competencies]
        self.fields["competencies"].choices = choices  # type: ignore[attr-defined]
        self.fields["target_step"].choices = step_choices(document, track)  # type: ignore[attr-defined]
        self.reader = stakeholders
        if not creating:
            del self.fields["milestones"]

    def clean_quarter(self) -> str:
        value = self.cleaned_data["quarter"].strip().upper()
        if value and not QUARTER.match(value):
            raise ValidationError("Write a quarter as the year and its number, like 2027-Q3.")
        return value

    def clean_success_criteria(self) -> list[str]:
        return clean_lines(self.cleaned_data["success_criteria"], label="success criteria")

    def clean_stakeholders(self) -> list[StakeholderIn]:
        found = clean_lines(self.cleaned_data["stakeholders"], label="stakeholders")
        return [self.reader.parse(line) for line in found]

    def clean_milestones(self) -> list[MilestoneIn]:
        return dated_lines(self.cleaned_data["milestones"])

    def changes(self) -> dict[str, Any]:
        """The service's keyword arguments (the form must be valid)."""
        data = dict(self.cleaned_data)
        if data["quarter"]:
            # A quarter keeps its last day as the deadline; the service works it out.
            data["due_on"] = None
        return data

    @staticmethod
    def locate(field: str | None) -> str | None:
        """The form field that shows an error the service named (`milestones[2].due_on`)."""
        found = LIST_FIELD.match(field or "")
        return found["name"] if found else field


def objective_initial(objective: Objective) -> dict[str, Any]:
    """The edit form's values from a saved objective."""
    return {
        "title": objective.title,
        "description": objective.description,
        "kind": objective.kind,
        "competencies": list(objective.competencies),
        "target_step": objective.target_step,
        "success_criteria": "\n".join(objective.success_criteria),
        "due_on": None if objective.quarter else objective.due_on,
        "quarter": objective.quarter,
        "stakeholders": Stakeholders.lines_of(objective),
        "visibility": objective.visibility,
    }


class MilestoneForm(ServiceForm):
    """A new milestone (prefixed: it sits on the page beside the objective's own form)."""

    prefix = "milestone"
    title = forms.CharField(label="Milestone", max_length=300)
    due_on = forms.DateField(label="Due on", required=False, widget=DATE)


class DoneForm(ServiceForm):
    """Whether a milestone is done now (the checklist's toggle)."""

    done = forms.BooleanField(required=False)


class CompleteForm(ServiceForm):
    """What shows an objective was done: a link, a note, or both."""

    link = forms.CharField(
        label="Link to what you delivered",
        required=False,
        max_length=500,
        help_text="A document, a pull request, a recording, a dashboard.",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    note = forms.CharField(
        label="What happened",
        required=False,
        max_length=TEXT_MAX,
        help_text="The outcome, and who saw it.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DropForm(ServiceForm):
    reason = forms.CharField(
        label="Why you're dropping it",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why, so you and your manager remember later."},
    )


# --- Building a roadmap from the gaps -------------------------------------------------------

PROPOSALS_MAX = 12
KEEP = [("keep", "Add it"), ("discard", "Discard it")]
# Fields of each proposal; hidden ones carry what the member does not edit.
PROPOSAL_HIDDEN = ("competency", "competency_name", "target_step", "template_id", "expectation")


class BuildForm(ServiceForm):
    """Every proposal's fields, prefixed `p<index>-`, with a keep-or-discard choice each."""

    count = forms.IntegerField(min_value=0, max_value=PROPOSALS_MAX, widget=forms.HiddenInput)

    def __init__(self, data: Any = None, *, count: int, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.size = min(max(count, 0), PROPOSALS_MAX)
        for i in range(self.size):
            self._add(i)

    def _add(self, i: int) -> None:
        p = f"p{i}-"
        self.fields[p + "keep"] = forms.ChoiceField(
            label="Keep it?", choices=KEEP, initial="keep", widget=forms.RadioSelect
        )
        self.fields[p + "title"] = forms.CharField(
            label="Objective", max_length=300, required=False, widget=forms.Textarea({"rows": 3})
        )
        self.fields[p + "description"] = forms.CharField(
            label="Details", required=False, max_length=TEXT_MAX, widget=forms.Textarea({"rows": 3})
        )
        self.fields[p + "kind"] = forms.ChoiceField(label="Kind", choices=Kind.choices)
        self.fields[p + "due_on"] = forms.DateField(label="Due on", required=False, widget=DATE)
        self.fields[p + "success_criteria"] = lines_field("Success criteria", "One a line.")
        self.fields[p + "stakeholders"] = lines_field("Stakeholders", "One a line.", rows=2)
        self.fields[p + "milestones"] = lines_field(
            "Milestones", "One a line, each with an optional date first (YYYY-MM-DD)."
        )
        for name in PROPOSAL_HIDDEN:
            self.fields[p + name] = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in self.kept():
            if not (data.get(f"p{i}-title") or "").strip():
                self.add_error(f"p{i}-title", "Give the objective a title, or discard it.")
            try:
                data[f"p{i}-milestones"] = dated_lines(data.get(f"p{i}-milestones") or "")
            except ValidationError as error:
                self.add_error(f"p{i}-milestones", error)
        if self.is_bound and not self.kept():
            self.add_error(None, "Keep at least one objective, or leave this page.")
        return data

    def kept(self) -> list[int]:
        """Indexes of the proposals the member keeps."""
        return [i for i in range(self.size) if self.data.get(f"p{i}-keep", "keep") == "keep"]

    def rows(self) -> list[dict[str, Any]]:
        """Each proposal's bound fields by name, for the template."""
        out = []
        for i in range(self.size):
            p = f"p{i}-"
            row: dict[str, Any] = {
                name.removeprefix(p): self[name] for name in self.fields if name.startswith(p)
            }
            row["index"] = i
            row["prefix"] = p
            out.append(row)
        return out

    def value(self, i: int, name: str) -> Any:
        """A proposal's value: cleaned when the form was valid, else as posted or initial."""
        key = f"p{i}-{name}"
        if hasattr(self, "cleaned_data") and key in self.cleaned_data:
            return self.cleaned_data[key]
        return self[key].value()

    def locate(self, field: str | None) -> str | None:
        """`proposals[1].milestones[0].due_on` (of the second kept proposal) as the form
        field `p<index>-milestones`."""
        found = PROPOSAL_FIELD.match(field or "")
        if found is None:
            return field
        kept = self.kept()
        index = int(found["index"])
        if index >= len(kept):
            return None
        name = f"p{kept[index]}-{found['attr'] or 'title'}"
        return name if name in self.fields else f"p{kept[index]}-title"


# --- The template library -------------------------------------------------------------------


class TemplateFilterForm(forms.Form):
    """Search the library: words, framework, competency and step."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    framework = forms.CharField(label="Framework", required=False, max_length=80)
    competency = forms.ChoiceField(label="Competency", required=False)
    step = forms.ChoiceField(label="Towards step", required=False)

    def __init__(
        self, data: Any = None, *, document: FrameworkDocument | None, track: str, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        if document is None:
            self.fields["competency"] = forms.CharField(
                label="Competency", required=False, max_length=100
            )
            self.fields["step"] = forms.CharField(
                label="Towards step", required=False, max_length=100
            )
            return
        competencies = [("", "Any competency"), *((c.key, c.name) for c in document.competencies)]
        self.fields["competency"].choices = competencies  # type: ignore[attr-defined]
        steps: list[tuple[str, Any]] = [("", "Any step")]
        steps += [(lv.key, lv.label) for lv in document.levels_of(track)]
        for c in document.competencies:
            if c.scale:
                steps.append((c.name, [(s.key, s.name) for s in c.scale]))
        self.fields["step"].choices = steps  # type: ignore[attr-defined]

    def query(self) -> dict[str, str]:
        """The selector's filters; what does not parse is left out."""
        if not self.is_valid():
            return {"competency": "", "step": "", "framework_key": "", "q": ""}
        data = self.cleaned_data
        return {
            "competency": data["competency"],
            "step": data["step"],
            "framework_key": data["framework"].strip(),
            "q": data["q"].strip(),
        }


class ApplyForm(ServiceForm):
    start = forms.DateField(
        label="Start on",
        required=False,
        widget=DATE,
        help_text="Milestone dates count from here; today if you leave it empty.",
    )


STARS = [(str(n), f"{n} star{'s' if n > 1 else ''}") for n in range(1, 6)]


class RateForm(ServiceForm):
    stars = forms.TypedChoiceField(
        label="How useful was it?", choices=STARS, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="What would you tell the next person?",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


DECISIONS = [("approve", "Approve and publish it"), ("return", "Return it to its author")]


class ReviewForm(ServiceForm):
    decision = forms.ChoiceField(label="Your decision", choices=DECISIONS, widget=forms.RadioSelect)
    note = forms.CharField(
        label="A note to the author",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


TEMPLATE_OBJECTIVES = 3


class TemplateForm(ServiceForm):
    """A template's fields and up to three objectives, named as the service names them
    (`objectives[1].title`), so its errors land on the right field."""

    framework_key = forms.SlugField(label="Framework key", max_length=80)
    competency = forms.CharField(label="Competency key", max_length=100)
    track = forms.CharField(label="Track key", max_length=100, required=False)
    from_step = forms.CharField(label="From step", max_length=100)
    to_step = forms.CharField(label="To step", max_length=100)
    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(
        label="Summary",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What changes between the two steps, and how this plan gets there.",
    )
    duration_weeks = forms.IntegerField(label="Usually takes (weeks)", min_value=1, max_value=104)
    evidence = lines_field("Evidence", "One a line: what would show the step was reached.")
    author_credentials = forms.CharField(
        label="Your credentials",
        required=False,
        max_length=300,
        help_text="Why members can trust this plan: your role, what you've led.",
    )
    library = forms.BooleanField(
        label="Publish to the Upward library (for everyone)", required=False
    )

    def __init__(self, data: Any = None, *, staff: bool, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        if not staff:
            del self.fields["library"]
        for i in range(TEMPLATE_OBJECTIVES):
            self._objective(i)

    def _objective(self, i: int) -> None:
        p = f"objectives[{i}]."
        first = i == 0
        self.fields[p + "title"] = forms.CharField(
            label="Objective", required=first, max_length=300, widget=forms.Textarea({"rows": 2})
        )
        self.fields[p + "kind"] = forms.ChoiceField(
            label="Kind", choices=Kind.choices, initial=Kind.INITIATIVE
        )
        self.fields[p + "description"] = forms.CharField(
            label="Details", required=False, max_length=TEXT_MAX, widget=forms.Textarea({"rows": 2})
        )
        self.fields[p + "success_criteria"] = lines_field("Success criteria", "One a line.")
        self.fields[p + "stakeholders"] = lines_field(
            "Stakeholders", "One a line: roles or teams.", rows=2
        )
        self.fields[p + "timebox_weeks"] = forms.IntegerField(
            label="Timebox (weeks)", required=False, min_value=1, max_value=104
        )
        self.fields[p + "milestones"] = lines_field(
            "Milestones", "One a line, by week: “2: Design note reviewed”."
        )

    def objectives(self) -> list[dict[str, Any]]:
        """The objectives filled in, as the service takes them (the form must be valid)."""
        out = []
        for i in range(TEMPLATE_OBJECTIVES):
            p = f"objectives[{i}]."
            title = self.cleaned_data[p + "title"].strip()
            if not title:
                continue
            out.append(
                {
                    "title": title,
                    "kind": self.cleaned_data[p + "kind"],
                    "description": self.cleaned_data[p + "description"],
                    "success_criteria": lines(self.cleaned_data[p + "success_criteria"]),
                    "stakeholders": lines(self.cleaned_data[p + "stakeholders"]),
                    "timebox_weeks": self.cleaned_data[p + "timebox_weeks"]
                    or self.cleaned_data.get("duration_weeks"),
                    "milestones": self.cleaned_data[p + "milestones"],
                }
            )
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(TEMPLATE_OBJECTIVES):
            name = f"objectives[{i}].milestones"
            try:
                data[name] = week_lines(data.get(name) or "")
            except ValidationError as error:
                self.add_error(name, error)
        return data

    def sections(self) -> list[list[forms.BoundField]]:
        """Each objective's bound fields, in order, for the template."""
        return [
            [self[n] for n in self.fields if n.startswith(f"objectives[{i}].")]
            for i in range(TEMPLATE_OBJECTIVES)
        ]

    def locate(self, field: str | None) -> str | None:
        """`objectives[1].milestones[0].week` shows on `objectives[1].milestones`."""
        found = TEMPLATE_FIELD.match(field or "")
        if found is None:
            return field
        name = f"{found['objective']}.{found['attr']}"
        return name if name in self.fields else None


def week_lines(value: str) -> list[dict[str, Any]]:
    """Template milestones, one a line: “2: Design note reviewed”."""
    out = []
    for number, line in enumerate(clean_lines(value, label="milestones"), start=1):
        found = WEEK_LINE.match(line)
        if found is None:
            raise ValidationError(
                f"Line {number}: start with the week it's due, like “2: Design note reviewed”."
            )
        out.append({"title": found["title"].strip(), "week": int(found["week"])})
    return out


def template_initial(template: Any) -> dict[str, Any]:
    """The edit form's values from a saved template."""
    initial: dict[str, Any] = {
        "framework_key": template.framework_key,
        "competency": template.competency,
        "track": template.track,
        "from_step": template.from_step,
        "to_step": template.to_step,
        "title": template.title,
        "summary": template.summary,
        "duration_weeks": template.duration_weeks,
        "evidence": "\n".join(template.evidence),
        "author_credentials": template.author_credentials,
        "library": template.organization_id is None,
    }
    for i, item in enumerate(template.objectives[:TEMPLATE_OBJECTIVES]):
        p = f"objectives[{i}]."
        initial[p + "title"] = item.get("title", "")
        initial[p + "kind"] = item.get("kind", Kind.INITIATIVE)
        initial[p + "description"] = item.get("description", "")
        initial[p + "success_criteria"] = "\n".join(item.get("success_criteria", []))
        initial[p + "stakeholders"] = "\n".join(item.get("stakeholders", []))
        initial[p + "timebox_weeks"] = item.get("timebox_weeks")
        initial[p + "milestones"] = "\n".join(
            f"{m.get('week')}: {m.get('title')}" for m in item.get("milestones", [])
        )
    return initial
