"""Forms for the framework pages: filters, import, the draft editor.

Forms only parse input into types; the services and the engine decide what a
valid framework is and say why not (their errors land here via `service_errors`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from upward.accounts.models import Membership
from upward.core.http import ServiceForm
from upward.engine.framework.models import KINDS, FrameworkDocument
from upward.engine.limits import MAX_FILES

MAX_LINES = 20  # signals or examples in one cell, as the API allows


class MatrixFilterForm(forms.Form):
    """Which track's levels and which area's competencies the matrix shows (GET)."""

    track = forms.ChoiceField(label="Track", required=False)
    area = forms.ChoiceField(label="Area", required=False)

    def __init__(self, data: Any, *, document: FrameworkDocument) -> None:
        super().__init__(data)
        track = self.fields["track"]
        area = self.fields["area"]
        assert isinstance(track, forms.ChoiceField)
        assert isinstance(area, forms.ChoiceField)
        track.choices = [(t.key, t.name) for t in document.tracks]
        area.choices = [("", "All areas"), *((a.key, a.name) for a in document.areas)]

    def chosen(self) -> tuple[str | None, str | None]:
        """The valid track and area asked for; anything else falls back to the defaults."""
        if not self.is_bound:
            return None, None
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return data.get("track") or None, data.get("area") or None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or several uploaded files, cleaned to a list."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not isinstance(data, list | tuple) or not data:
            return [super().clean(data or None, initial)]  # one file, or "required"
        cleaned = []
        for item in data:
            cleaned.append(super().clean(item, initial))
        return cleaned


IMPORT_MODES = [
    ("new", "A new framework"),
    ("version", "A new draft version of an existing framework"),
]


class ImportConfirmForm(ServiceForm):
    """After the preview: store the upload as a new framework or a version of one."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    mode = forms.ChoiceField(label="Import as", choices=IMPORT_MODES, widget=forms.RadioSelect)
    target = forms.TypedChoiceField(
        label="Framework to add a version to", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, targets: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a framework"), *targets]


class ImportForm(ServiceForm):
    """Upload a framework into one of the organizations the person administers."""

    organization = forms.ChoiceField(label="Import into")
    upload = MultipleFileField(
        label="Framework files",
        help_text=(
            "Upward YAML or JSON, a CSV or Excel matrix, snowflake <code>constants.js</code>, "
            "an FT job family YAML, Monzo Markdown, a CASE package, or several files (or one "
            "ZIP of them) for engineering ladders and UNiDAYS. You see what it holds before "
            "anything is stored."
        ),
    )

    def __init__(self, *args: Any, memberships: Iterable[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memberships = {m.organization.slug: m for m in memberships}
        field = self.fields["organization"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (slug, "Your personal space" if m.organization.is_personal else m.organization.name)
            for slug, m in self.memberships.items()
        ]

    # Given with the upload, these import in one step (as the API does); the page
    # itself previews first and asks with ImportConfirmForm.
    mode = forms.ChoiceField(choices=IMPORT_MODES, required=False)
    target = forms.IntegerField(required=False, min_value=1)

    def clean_upload(self) -> dict[str, bytes]:
        uploads = self.cleaned_data["upload"]
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(
                f"Upload at most {MAX_FILES} files at once (the limit for one import)."
            )
        return {f.name or f"upload-{i}": f.read() for i, f in enumerate(uploads)}


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _signals_field() -> forms.CharField:
    return forms.CharField(
        label="Signals",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line: what you would observe.",
    )


def _examples_field() -> forms.CharField:
    return forms.CharField(
        label="Examples",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: concrete work that shows it.",
    )


class _ItemsForm(ServiceForm):
    """A form with `signals` and `examples`, one per line, cleaned to lists."""

    def _clean_lines(self, name: str) -> list[str]:
        lines = _lines(self.cleaned_data[name])
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(f"Keep it to {MAX_LINES} lines at most.")
        return lines

    def clean_signals(self) -> list[str]:
        return self._clean_lines("signals")

    def clean_examples(self) -> list[str]:
        return self._clean_lines("examples")


class CellForm(_ItemsForm):
    """One expectation (competency x level) of a draft."""

    competency = forms.CharField(widget=forms.HiddenInput, max_length=100)
    level = forms.CharField(widget=forms.HiddenInput, max_length=100)
    summary = forms.CharField(
        label="Summary",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What someone at this level can be seen doing, in a sentence or two.",
    )
    signals = _signals_field()
    examples = _examples_field()
    step = forms.ChoiceField(label="Required step", required=False)

    def __init__(self, *args: Any, steps: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if steps:
            step = self.fields["step"]
            assert isinstance(step, forms.ChoiceField)
            step.choices = [("", "No step"), *steps]
        else:
            del self.fields["step"]


class StepForm(_ItemsForm):
    """One step of a competency's own scale (points-based frameworks); its key stays."""

    competency = forms.CharField(widget=forms.HiddenInput, max_length=100)
    step = forms.CharField(widget=forms.HiddenInput, max_length=100)
    name = forms.CharField(label="Name", max_length=500)
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What someone at this step can be seen doing, in a sentence or two.",
    )
    signals = _signals_field()
    examples = _examples_field()


KIND_CHOICES = [(k, k.title()) for k in KINDS]


class CompetencyForm(ServiceForm):
    """A new competency for a draft (its cells start empty)."""

    key = forms.SlugField(
        label="Key", max_length=100, help_text="A stable short name, e.g. system-design."
    )
    name = forms.CharField(label="Name", max_length=500)
    area = forms.ChoiceField(label="Area")
    kind = forms.ChoiceField(label="Kind", choices=KIND_CHOICES, initial="skill")

    def __init__(self, *args: Any, document: FrameworkDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = [(a.key, a.name) for a in document.areas]


class LevelForm(ServiceForm):
    """A new level at the top of a track."""

    track = forms.ChoiceField(label="Track")
    key = forms.SlugField(label="Key", max_length=100, help_text="e.g. ic7")
    code = forms.CharField(label="Code", max_length=20, required=False, help_text="e.g. IC7")
    title = forms.CharField(label="Title", max_length=500)

    def __init__(self, *args: Any, document: FrameworkDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        track = self.fields["track"]
        assert isinstance(track, forms.ChoiceField)
        track.choices = [(t.key, t.name) for t in document.tracks]


MOVES = [("up", "Move up"), ("down", "Move down"), ("remove", "Remove")]


class CompetencyChangeForm(ServiceForm):
    """Move a competency up or down, or remove it."""

    competency = forms.CharField(max_length=100)
    action = forms.ChoiceField(choices=MOVES)


class LevelChangeForm(ServiceForm):
    """Move a level up or down its track, or remove it."""

    track = forms.CharField(max_length=100)
    level = forms.CharField(max_length=100)
    action = forms.ChoiceField(choices=MOVES)


class DiffForm(forms.Form):
    """Which two versions to compare (GET)."""

    from_ = forms.IntegerField(min_value=1, required=False)
    to = forms.IntegerField(min_value=1, required=False)

    def __init__(self, data: Any) -> None:
        # `from` is a Python keyword: read it under another name.
        data = data.copy() if data is not None else {}
        if "from" in data:
            data["from_"] = data["from"]
        super().__init__(data)
