"""Forms for organization, team, invitation and token pages.

Forms only parse input into types; the services decide what is allowed and
say why not (their errors land on these forms through `service_errors`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.datastructures import MultiValueDict

from upward.accounts import profiles
from upward.accounts.models import Membership, Role, TokenScope
from upward.core.errors import Invalid
from upward.core.http import ServiceForm

TOKEN_DAYS = [(7, "7 days"), (30, "30 days"), (90, "90 days"), (365, "1 year")]


def person_label(membership: Membership) -> str:
    """How a member appears in a picker: name and email, or the email alone."""
    user = membership.user
    return f"{user.name} ({user.email})" if user.name else user.email


class OrganizationForm(ServiceForm):
    name = forms.CharField(
        label="Name",
        max_length=120,
        help_text="Your company or team, as its people know it.",
    )
    slug = forms.CharField(
        label="Short name",
        required=False,
        max_length=60,
        help_text="Used in links, like /orgs/acme/. Lowercase letters, digits and hyphens. "
        "Leave it empty to make one from the name.",
    )


class SwitchOrganizationForm(ServiceForm):
    organization = forms.CharField(max_length=60)


class RoleForm(ServiceForm):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class InvitationForm(ServiceForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We'll send a link that works once and expires in a week.",
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.MEMBER)


class MemberPickerForm(ServiceForm):
    """A form whose `picker` field picks one of `members`; it cleans to that User (or None).

    The field is named as the service names it, so a service error lands on it.
    """

    picker = "user"
    blank_label = "Choose a person"

    def __init__(self, data: Any = None, *, members: Iterable[Membership], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.members = members
        picker = cast(forms.ChoiceField, self.fields[self.picker])
        # A callable, so the members are only read when the form is rendered or checked.
        picker.choices = self._choices

    def _choices(self) -> list[tuple[str, str]]:
        people = [(str(m.user_id), person_label(m)) for m in self.members]
        return [("", self.blank_label), *people]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.picker in data:
            value = data[self.picker]
            data[self.picker] = next(
                (m.user for m in self.members if str(m.user_id) == value), None
            )
        return data


class TeamForm(MemberPickerForm):
    picker = "manager"
    blank_label = "No manager yet"

    name = forms.CharField(label="Team name", max_length=120)
    manager = forms.ChoiceField(label="Manager", required=False)


class TeamRenameForm(ServiceForm):
    name = forms.CharField(label="Team name", max_length=120)


class TeamManagerForm(MemberPickerForm):
    picker = "manager"
    blank_label = "No manager"

    manager = forms.ChoiceField(label="Manager", required=False)


class TeamMemberForm(MemberPickerForm):
    picker = "user"

    user = forms.ChoiceField(label="Person")


class TokenForm(ServiceForm):
    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text="What will use it, so you can tell your tokens apart: “laptop CLI”, “CI import”.",
    )
    scope = forms.ChoiceField(
        label="Access",
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        help_text="Read-only tokens can't change anything. Pick write only when you need it.",
    )
    days = forms.TypedChoiceField(label="Expires after", choices=TOKEN_DAYS, coerce=int, initial=90)


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, asking first for the name people will see in emails."""

    field_order = ["name", "email", "password1", "password2"]

    name = forms.CharField(
        label="Your name",
        max_length=profiles.NAME_MAX,
        help_text="As colleagues know you: it is how requests and emails from you are signed.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": profiles.NAME_REQUIRED},
    )

    def clean_name(self) -> str:
        try:
            return profiles.person_name(self.cleaned_data["name"])
        except Invalid as error:
            raise forms.ValidationError(error.message) from None


class ProfileForm(ServiceForm):
    name = forms.CharField(
        label="Name",
        max_length=profiles.NAME_MAX,
        help_text="How you appear to others, and how requests and emails from you are signed.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": profiles.NAME_REQUIRED},
    )
    time_zone = forms.CharField(
        label="Time zone",
        required=False,
        max_length=64,
        help_text="A name from the time zone database, like Europe/Paris or America/New_York.",
    )
    languages = forms.CharField(
        label="Languages",
        required=False,
        max_length=300,
        help_text="The languages you work in, separated by commas: codes like en, pt-br "
        "or names like French.",
    )

    def language_list(self) -> list[str]:
        """The languages field split into its items (the service checks each)."""
        return [part for part in self.cleaned_data["languages"].split(",") if part.strip()]


class PhotoForm(ServiceForm):
    photo = forms.FileField(
        label="A picture of you",
        allow_empty_file=True,  # the service names an empty file the way it names the others
        help_text="A JPEG, PNG or WebP picture of up to 5 MB. It is cropped to a square "
        "and kept without its metadata (no place, date or camera).",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    @classmethod
    def refused(cls, message: str) -> PhotoForm:
        """A form showing why an upload was refused before it could be read."""
        form = cls(data={}, files=MultiValueDict())
        form.full_clean()
        form.errors.clear()
        form.add_error("photo", message)
        return form
