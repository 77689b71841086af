"""Who may see, change and confirm evidence entries.

An entry belongs to its owner, who reads and changes it. Others in the same
organization read it when its visibility tier lets the way they stand to the owner
see it (`upward.core.visibility`), and anyone it names as a collaborator reads it
too, whatever its tier: they were asked to share its credit and must see what they
answer. Nobody outside the organization reads an entry here (a public one shows
only on the public profile), and leaving the organization ends access at once.

Whoever may read an entry, other than its owner, may confirm it. Missing and
forbidden both raise Http404, so ids don't leak.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from upward.accounts.models import Membership, Organization, User
from upward.accounts.relationships import relationships
from upward.core.visibility import Relationship, may_see_any
from upward.evidence.models import Collaborator, Confirmation, Entry

__all__ = [
    "access_collaboration",
    "access_confirmation",
    "access_entry",
    "access_person",
    "may_confirm",
    "may_read_entry",
]


def access_entry(user: User | AnonymousUser, entry_id: int, *, write: bool = False) -> Entry:
    """An entry the user may read (owner, collaborator, or the audience its tier allows)
    or change (owner)."""
    if not user.is_authenticated:
        raise Http404
    entry = get_object_or_404(
        Entry.objects.select_related(
            "owner", "organization", "placement__version__framework", "objective"
        ),
        pk=entry_id,
        organization__memberships__user=user,  # the reader is still a member there
    )
    if entry.owner_id == user.pk:
        return entry
    if write:
        raise Http404
    if may_read_entry(user, entry):
        return entry
    raise Http404


def _is_collaborator(user: User, entry: Entry) -> bool:
    return Collaborator.objects.filter(entry=entry, user=user).exists()


def may_read_entry(user: User | AnonymousUser, entry: Entry) -> bool:
    """Whether a member of the entry's organization, other than the owner, may read it."""
    if not user.is_authenticated:
        return False
    standing = relationships(user, entry.owner, entry.organization)
    if Relationship.OUTSIDER in standing:
        return False
    if may_see_any(standing, entry.visibility):
        return True
    return _is_collaborator(user, entry)


def may_confirm(user: User | AnonymousUser, entry: Entry) -> bool:
    """Whether the user may confirm the entry: anyone in its organization who may read
    it, except its owner."""
    if not user.is_authenticated:
        return False
    if entry.owner_id == user.pk:
        return False
    return may_read_entry(user, entry)


def access_confirmation(
    user: User | AnonymousUser, entry_id: int, confirmation_id: int
) -> Confirmation:
    """The user's own confirmation of an entry they may still read (to withdraw it)."""
    entry = access_entry(user, entry_id)
    return get_object_or_404(
        Confirmation.objects.select_related("entry__organization"),
        pk=confirmation_id,
        entry=entry,
        by=user,
    )


def access_collaboration(user: User | AnonymousUser, entry_id: int) -> Collaborator:
    """The user's place as a named collaborator on an entry (to accept or decline it)."""
    entry = access_entry(user, entry_id)
    return get_object_or_404(
        Collaborator.objects.select_related("entry__organization"), entry=entry, user=user
    )


def access_person(viewer: User | AnonymousUser, user_id: int, organization: Organization) -> User:
    """A member of `organization`, seen by another member of it (whose log to show)."""
    if not viewer.is_authenticated:
        raise Http404
    if not Membership.objects.filter(organization=organization, user=viewer).exists():
        raise Http404
    membership = get_object_or_404(
        Membership.objects.select_related("user"), organization=organization, user_id=user_id
    )
    return membership.user
