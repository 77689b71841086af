from __future__ import annotations

from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "upward.mentorship"
    label = "mentorship"
    verbose_name = "Mentorship"

    def ready(self) -> None:
        from upward.accounts.relationships import register_provider
        from upward.core import calendar_events
        from upward.core.visibility import Relationship
        from upward.mentorship import emails  # noqa: F401 (registers its notification kinds)
        from upward.mentorship.selectors import mentees_of, session_events

        register_provider(Relationship.MENTOR, mentees_of)
        calendar_events.register(session_events)
