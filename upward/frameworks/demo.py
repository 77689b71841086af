"""Demo frameworks: a library framework adopted by the company, and its own ladder with a draft."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import yaml

from upward.accounts.models import Organization, User
from upward.engine import edit
from upward.frameworks import services
from upward.frameworks.documents import validate_document
from upward.frameworks.models import FrameworkVersion, VersionStatus
from upward.frameworks.selectors import document_of

# The library framework the company adopts as its own company framework.
DEMO_FRAMEWORK_KEY = "software-engineering"
ACME_LADDER_KEY = "acme-engineering"


def load(
    *, organization: Organization, admin: User, progress: Callable[[str], None] = lambda _m: None
) -> None:
    """Adopt the library's engineering framework and publish the company's own ladder."""
    _adopt_library_framework(organization, by=admin, progress=progress)
    _company_ladder(organization, by=admin, progress=progress)


def _adopt_library_framework(
    org: Organization, *, by: User, progress: Callable[[str], None]
) -> None:
    """Publish a copy of a library framework as the company's own, as an admin would."""
    library = FrameworkVersion.objects.filter(
        framework__organization=None,
        framework__key=DEMO_FRAMEWORK_KEY,
        status=VersionStatus.PUBLISHED,
    ).first()
    if library is None:
        return
    progress(f"publishing {library.framework.name} as {org.name}'s framework ...")
    version = services.create_version(
        document=document_of(library), organization=org, by=by, source_name="library"
    )
    services.publish_version(version=version, by=by)


def _company_ladder(org: Organization, *, by: User, progress: Callable[[str], None]) -> None:
    """Acme's own ladder: the library's engineering file under its own key, published as
    version 1, then a draft version 2 with a couple of cells reworded (for history and diffs)."""
    source = services.LIBRARY_DIR / f"{DEMO_FRAMEWORK_KEY}.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data |= {"key": ACME_LADDER_KEY, "name": "Acme Engineering Ladder"}
    data["description"] = "Acme Robotics' engineering ladder, adapted from the Upward library."
    progress("publishing the Acme Engineering Ladder with a draft of changes ...")
    first = services.create_version(
        document=validate_document(data), organization=org, by=by, source_name=source.name
    )
    services.publish_version(version=first, by=by)
    draft = services.start_draft(framework=first.framework, by=by)
    doc = document_of(first)
    level = doc.levels_of(doc.tracks[0].key)[2].key
    for competency, summary in [
        ("delivery", "Ships robot firmware and fleet services in small, safe steps, on time."),
        ("reliability", "Owns on-call for a fleet service and leaves its runbooks better."),
    ]:
        expectation = doc.expectation(competency, level)
        signals = list(expectation.signals) if expectation else []
        services.edit_draft(
            version=draft,
            by=by,
            change=partial(
                edit.set_cell,
                competency=competency,
                level=level,
                summary=summary,
                signals=signals,
                examples=[],
            ),
        )
