"""`upward manage remind_overdue`: remind people of overdue objectives (run it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from upward.roadmaps.services import remind_overdue


class Command(BaseCommand):
    help = "Remind people of open objectives and milestones past their day (once a week each)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = remind_overdue()
        self.stdout.write(f"sent {sent} reminder(s)")
