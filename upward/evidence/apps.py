from __future__ import annotations

from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "upward.evidence"
    label = "evidence"
    verbose_name = "Evidence"

    def ready(self) -> None:
        from upward.evidence import emails  # noqa: F401 (registers its notification kinds)
