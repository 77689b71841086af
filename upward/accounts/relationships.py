"""How a viewer stands to a subject in an organization, worked out in one place.

The ways (`upward.core.visibility.Relationship`):

- SELF: the viewer is the subject, and a member of the organization.
- MANAGER: the viewer leads a team of the organization that the subject is on,
  and both are still members of it.
- MENTOR: a registered provider says so (the mentorship app registers one from
  its `AppConfig.ready`; accounts imports no other app).
- SAME_ORGANIZATION: both are members of the organization.
- OUTSIDER: none of the above, which includes anyone who has left or been
  removed, and visitors who are not signed in.

Someone can stand in several ways at once, so the answer is a set: a manager is
also SAME_ORGANIZATION, and may be a MENTOR too. SELF comes alone; OUTSIDER comes
alone and only when nothing else holds. Ask `Relationship.MANAGER in ...` to act
as a manager, and `visibility.may_see_any(...)` to decide what may be seen.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet

from upward.accounts.models import Membership, Organization, TeamMembership, User
from upward.core.visibility import Relationship

Standing = frozenset[Relationship]

# A provider answers, for one viewer, which of the given subjects stand to them
# in its relationship: (viewer, subject ids, organization) -> those subject ids.
# Each is called once per question, with every subject at once, so a list costs
# one query per provider however long it is.
Provider = Callable[[User, set[int], Organization], Collection[int]]

OUTSIDER: Standing = frozenset({Relationship.OUTSIDER})
SELF: Standing = frozenset({Relationship.SELF})

_providers: list[tuple[Relationship, Provider]] = []


def register_provider(relationship: Relationship, provider: Provider) -> None:
    """Let another app say who stands in `relationship` (MENTOR) to whom."""
    if relationship in (Relationship.SELF, Relationship.OUTSIDER):
        raise ValueError(f"{relationship} is decided by accounts, not by a provider.")
    if (relationship, provider) not in _providers:
        _providers.append((relationship, provider))


def unregister_provider(relationship: Relationship, provider: Provider) -> None:
    """Take a provider out again (tests register their own)."""
    if (relationship, provider) in _providers:
        _providers.remove((relationship, provider))


def relationships(
    viewer: User | AnonymousUser, subject: User, organization: Organization
) -> Standing:
    """Every way `viewer` stands to `subject` in `organization`: 1 query, plus 1 per provider."""
    return relationships_among(viewer, [subject.pk], organization)[subject.pk]


def relationships_among(
    viewer: User | AnonymousUser, subject_ids: Iterable[int], organization: Organization
) -> dict[int, Standing]:
    """How `viewer` stands to each of several subjects, in the same queries as for one.

    1 query (who of them are members, and whom the viewer manages), plus 1 per
    registered provider when the viewer is a member.
    """
    wanted = set(subject_ids)
    if isinstance(viewer, AnonymousUser) or not wanted:
        return dict.fromkeys(wanted, OUTSIDER)
    rows = dict(
        Membership.objects.filter(organization=organization, user_id__in=wanted | {viewer.pk})
        .annotate(managed=Exists(_led_by(viewer, organization).filter(user_id=OuterRef("user_id"))))
        .values_list("user_id", "managed")
    )
    if viewer.pk not in rows:
        return dict.fromkeys(wanted, OUTSIDER)
    others = {pk for pk in wanted if pk in rows and pk != viewer.pk}
    provided = _provided(viewer, others, organization)
    out = {}
    for pk in wanted:
        if pk == viewer.pk:
            out[pk] = SELF
        elif pk not in rows:
            out[pk] = OUTSIDER
        else:
            found = {Relationship.SAME_ORGANIZATION, *provided.get(pk, ())}
            if rows[pk]:
                found.add(Relationship.MANAGER)
            out[pk] = frozenset(found)
    return out


def reports_of(manager: User | AnonymousUser, organization: Organization) -> QuerySet[User]:
    """Everyone `manager` stands to as MANAGER in `organization`: 1 query."""
    if isinstance(manager, AnonymousUser):
        return User.objects.none()
    manager_is_member = Membership.objects.filter(organization=organization, user=manager)
    return (
        User.objects.filter(
            Exists(_led_by(manager, organization).filter(user_id=OuterRef("pk"))),
            Exists(Membership.objects.filter(organization=organization, user_id=OuterRef("pk"))),
            Exists(manager_is_member),
        )
        .exclude(pk=manager.pk)
        .order_by("email")
    )


def _led_by(manager: User, organization: Organization) -> QuerySet[TeamMembership]:
    """Places on the organization's teams that `manager` leads."""
    return TeamMembership.objects.filter(
        organization=organization, team__organization=organization, team__manager=manager
    )


def _provided(
    viewer: User, subject_ids: set[int], organization: Organization
) -> dict[int, set[Relationship]]:
    """What the registered providers add for each subject."""
    out: dict[int, set[Relationship]] = {}
    if not subject_ids:
        return out
    for relationship, provider in _providers:
        for pk in set(provider(viewer, set(subject_ids), organization)) & subject_ids:
            out.setdefault(pk, set()).add(relationship)
    return out
