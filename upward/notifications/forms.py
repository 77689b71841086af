from __future__ import annotations

from django import forms

from upward.core.http import ServiceForm
from upward.notifications.kinds import Choice, Kind


class PreferencesForm(ServiceForm):
    """One choice per kind of notification."""

    def __init__(
        self, *args: object, kinds: list[Kind], initial_choices: dict[str, Choice], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for k in kinds:
            self.fields[k.key] = forms.ChoiceField(
                label=k.label,
                choices=Choice.choices,
                initial=initial_choices[k.key],
                widget=forms.RadioSelect,
            )
