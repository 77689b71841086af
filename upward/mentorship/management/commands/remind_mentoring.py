"""`upward manage remind_mentoring`: remind both sides of rooms whose check-in is due or
overdue (run it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from upward.mentorship.services import remind_rooms


class Command(BaseCommand):
    help = (
        "Remind mentors and mentees of rooms whose check-in is due or overdue "
        "(on the day it happens, then weekly; never twice a day)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = remind_rooms()
        self.stdout.write(f"reminded {reminded} room(s)")
