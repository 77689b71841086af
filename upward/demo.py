"""The demo workspace that `upward demo` loads: idempotent, safe to run again.

Each app loads its own demo data; this module calls them in order, handing on
the company and people the earlier ones made.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction

from upward.accounts import demo as accounts
from upward.accounts.demo import DEMO_PASSWORD, EMAILS
from upward.assessments import demo as assessments
from upward.evidence import demo as evidence
from upward.frameworks import demo as frameworks
from upward.frameworks.services import load_library
from upward.insights import demo as insights
from upward.mentorship import demo as mentorship
from upward.notifications import demo as notifications
from upward.roadmaps import demo as roadmaps
from upward.roadmaps.library import load_library as load_roadmap_library

__all__ = ["DEMO_PASSWORD", "load_demo"]


@transaction.atomic
def load_demo(progress: Callable[[str], None] = lambda _msg: None) -> list[str]:
    """Publish the framework library, create the demo company and its people.

    Returns the people's emails, Alice first. Running it again publishes only
    library frameworks that changed and leaves the demo company as it is.
    """
    progress("publishing the framework library ...")
    load_library(progress=lambda msg: progress(f"  {msg}"))
    load_roadmap_library(progress=lambda msg: progress(f"  {msg}"))
    company = accounts.load(progress=progress)
    if company is None:
        progress("demo company already loaded")
        return list(EMAILS)
    organization, people = company.organization, company.people
    frameworks.load(organization=organization, admin=people["ada"], progress=progress)
    assessments.load(
        organization=organization, people=people, peers=company.peers, progress=progress
    )
    roadmaps.load(organization=organization, people=people, progress=progress)
    evidence.load(organization=organization, people=people, progress=progress)
    mentorship.load(
        organization=organization, people=people, peers=company.peers, progress=progress
    )
    password_hash = make_password(DEMO_PASSWORD)
    insights.load(
        organization=organization,
        people=people,
        make_person=lambda email, name: accounts.person(email, name, password_hash),
        progress=progress,
    )
    notifications.load(progress=progress)
    progress("demo company loaded")
    return list(EMAILS)
