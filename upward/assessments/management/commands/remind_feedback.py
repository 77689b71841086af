"""`upward manage remind_feedback`: send due feedback reminders (run it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from upward.assessments.services import remind_pending


class Command(BaseCommand):
    help = "Send the one reminder each feedback request open for 5 days gets."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = remind_pending()
        self.stdout.write(f"sent {sent} reminder(s)")
