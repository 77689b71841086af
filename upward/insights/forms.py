"""The insight pages' forms: the filters above each aggregate and the admins' settings.

The filters are parsed by `selectors.parse_filters`; the filter form only shows them
(with the choices of the view) and carries the error of a bad one at its field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms

from upward.core.http import ServiceForm

BY_CHOICES = [("team", "Team"), ("level", "Level"), ("track", "Track")]
# Beyond this many teams the team filter is a number box, not a list no one can scroll.
TEAMS_LISTED = 200
FILTER_FIELDS = ("by", "version", "track", "level", "team")

# What an empty choice means for each filter.
ANY = {
    "version": "Most used",
    "track": "Every track",
    "level": "Every level",
    "team": "Every team you see",
}
LABELS = {
    "by": "Rows",
    "version": "Framework version",
    "track": "Track",
    "level": "Current level",
    "team": "Team",
}


class FilterForm(ServiceForm):
    """The filters of an insight page, as GET parameters.

    `choices` maps a field to its (value, label) pairs when the view was computed;
    after a bad filter there are none, and each field is a plain text box.
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None,
        *,
        fields: Sequence[str] = FILTER_FIELDS,
        choices: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    ) -> None:
        super().__init__(data, auto_id="filter-%s")
        for name in fields:
            self.fields[name] = self._field(name, choices)

    @staticmethod
    def _field(name: str, choices: Mapping[str, Sequence[tuple[str, str]]] | None) -> forms.Field:
        label = LABELS[name]
        if name == "by":
            return forms.CharField(
                label=label, required=False, widget=forms.Select(choices=BY_CHOICES)
            )
        if choices is None:
            return forms.CharField(label=label, required=False)
        if name == "team" and len(choices.get(name, [])) > TEAMS_LISTED:
            return forms.CharField(
                label=label,
                required=False,
                help_text="The team's number, as in the link of its heatmap row.",
                widget=forms.NumberInput(attrs={"min": "1"}),
            )
        options = [("", ANY[name]), *choices.get(name, [])]
        return forms.CharField(label=label, required=False, widget=forms.Select(choices=options))


class SettingsForm(ServiceForm):
    """What admins set: the readiness that counts as ready, and the ratings leniency needs."""

    ready_threshold = forms.FloatField(
        label="Ready at",
        help_text="Readiness (0.5 to 1) at or above which someone counts as ready.",
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.5", "max": "1"}),
    )
    min_ratings = forms.IntegerField(
        label="Ratings before a rater's leniency shows",
        help_text="3 to 100: fewer ratings say too little about a rater.",
        widget=forms.NumberInput(attrs={"min": "3", "max": "100"}),
    )
