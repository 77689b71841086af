"""Hooks into django-allauth's sign-up flow."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.http import HttpRequest

from upward.accounts import services
from upward.core.errors import Invalid
from upward.core.validators import email_address


class AccountAdapter(DefaultAccountAdapter):
    """Every new person gets a personal organization as they sign up; addresses are
    checked as everywhere else an address is taken."""

    def clean_email(self, email: str) -> str:
        try:
            return email_address(email)
        except Invalid as error:
            raise forms.ValidationError(error.message) from None

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        # Set before saving, so the personal space below is named after the person.
        user.name = form.cleaned_data.get("name", "")
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.create_personal_organization(user=user)
        return user
