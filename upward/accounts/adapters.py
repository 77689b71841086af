"""Hooks into django-allauth's sign-up flow."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from upward.accounts import services


class AccountAdapter(DefaultAccountAdapter):
    """Every new person gets a personal organization as they sign up."""

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.create_personal_organization(user=user)
        return user
