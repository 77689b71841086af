"""`upward manage send_digests`: send the daily (and on Mondays the weekly) digests.

Run it once a day from cron; running it again the same day sends nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from upward.notifications.services import send_digests


class Command(BaseCommand):
    help = "Send today's notification digests (weekly ones on Mondays); safe to rerun."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests()
        self.stdout.write(f"sent {sent} digest(s)")
