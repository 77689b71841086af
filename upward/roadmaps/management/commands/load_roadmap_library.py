"""`upward manage load_roadmap_library`: publish the built-in roadmap templates."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from upward.roadmaps.library import LIBRARY_DIR, LibraryError, load_library


class Command(BaseCommand):
    help = "Publish the built-in roadmap templates; new and changed ones are written."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--directory",
            default=str(LIBRARY_DIR),
            help="the library folder (default: the built-in one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            load_library(directory=Path(options["directory"]), progress=self.stdout.write)
        except LibraryError as exc:
            raise CommandError(str(exc)) from None
