"""`upward manage refresh_insights [--organization SLUG]`: rebuild the standings
insights read, of one organization or of every one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from upward.accounts.models import Organization
from upward.insights.services.standings import rebuild


class Command(BaseCommand):
    help = "Recompute the standing of every active placement (insights read them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organization", metavar="SLUG", help="Only this organization (all by default)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options.get("organization")
        organizations = Organization.objects.order_by("pk")
        if slug:
            organizations = organizations.filter(slug=slug)
            if not organizations.exists():
                raise CommandError(f"--organization: no organization with the slug {slug!r}")
        total = count = 0
        for organization in organizations.iterator():
            written = rebuild(organization)
            total += written
            count += 1
            self.stdout.write(f"{organization.slug}: {written} standing(s)")
        self.stdout.write(f"refreshed {total} standing(s) in {count} organization(s)")
