"""Who may see what: the audience tiers of shared content, decided in one place.

Anything a member shares (written answers today; roadmaps, evidence and rooms
next) carries one `Tier`. Tiers are widening audiences, each including the one
before it::

    PRIVATE < MENTORS < MANAGER < ORGANIZATION < PUBLIC

A viewer stands to the content's subject in a `Relationship` (worked out by
`upward.accounts.relationships`), and each relationship first belongs to one
tier's audience; it sees every item of that tier or a wider one:

    =================  =======  =======  =======  ============  ======
    viewer \\ tier      PRIVATE  MENTORS  MANAGER  ORGANIZATION  PUBLIC
    =================  =======  =======  =======  ============  ======
    SELF               yes      yes      yes      yes           yes
    MENTOR             no       yes      yes      yes           yes
    MANAGER            no       no       yes      yes           yes
    SAME_ORGANIZATION  no       no       no       yes           yes
    OUTSIDER           no       no       no       no            yes
    =================  =======  =======  =======  ============  ======

Mentors come before the manager: a mentor is someone the member chose to
confide in, a manager is someone who assesses them, so "my mentors" is the
narrower audience. Sharing with the manager therefore shares with mentors too.

Someone may stand in several ways at once (a manager who also mentors); they
see what the most trusted of those relationships sees (`may_see_any`).

Pure Python with no app imports, so the rule is tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.db import models


class Relationship(StrEnum):
    """How a viewer stands to the person some content is about."""

    SELF = "self"
    MENTOR = "mentor"
    MANAGER = "manager"
    SAME_ORGANIZATION = "same_organization"
    OUTSIDER = "outsider"


class Tier(models.TextChoices):
    """Who may see an item: a widening audience, narrowest first."""

    PRIVATE = "private", "Only me"
    MENTORS = "mentors", "Me and my mentors"
    MANAGER = "manager", "Me, my mentors and my manager"
    ORGANIZATION = "organization", "Everyone in my organization"
    PUBLIC = "public", "Anyone"


# Tiers from narrowest to widest audience.
ORDER: tuple[Tier, ...] = (
    Tier.PRIVATE,
    Tier.MENTORS,
    Tier.MANAGER,
    Tier.ORGANIZATION,
    Tier.PUBLIC,
)

# The narrowest tier whose audience includes each relationship.
NARROWEST: dict[Relationship, Tier] = {
    Relationship.SELF: Tier.PRIVATE,
    Relationship.MENTOR: Tier.MENTORS,
    Relationship.MANAGER: Tier.MANAGER,
    Relationship.SAME_ORGANIZATION: Tier.ORGANIZATION,
    Relationship.OUTSIDER: Tier.PUBLIC,
}


def may_see(relationship: Relationship, tier: Tier | str) -> bool:
    """Whether someone standing in `relationship` may see an item shared at `tier`."""
    return ORDER.index(Tier(tier)) >= ORDER.index(NARROWEST[relationship])


def may_see_any(relationships: Iterable[Relationship], tier: Tier | str) -> bool:
    """Whether any of the ways a viewer stands to the subject lets them see `tier`."""
    return any(may_see(r, tier) for r in relationships)
