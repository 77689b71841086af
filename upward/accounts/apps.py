from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "upward.accounts"
    label = "accounts"
    verbose_name = "Accounts and organizations"

    def ready(self) -> None:
        from upward.accounts import emails  # noqa: F401 (registers its notification kinds)
