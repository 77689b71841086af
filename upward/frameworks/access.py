"""Who may see and change frameworks and their versions.

Library frameworks are readable by everyone signed in and changed by site staff.
An organization's frameworks are readable by its members and changed by its
admins; a personal framework belongs to its person alone. Drafts are seen only
by those who may change them. Missing and forbidden both raise Http404.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404
from django.shortcuts import get_object_or_404

from upward.accounts.models import Membership, Role, User
from upward.frameworks.models import Framework, FrameworkVersion, VersionStatus


def can_change(user: User, framework: Framework) -> bool:
    """True when the user may edit, import into and publish this framework."""
    if not user.is_authenticated:
        return False
    if framework.organization_id is None:
        return bool(user.is_staff)
    return Membership.objects.filter(
        organization_id=framework.organization_id, user=user, role=Role.ADMIN
    ).exists()


def changeable_ids(user: User, frameworks: Iterable[Framework]) -> set[int]:
    """The ids of those `frameworks` the user may change, in one query (for lists)."""
    if not user.is_authenticated:
        return set()
    admin_of = set(
        Membership.objects.filter(user=user, role=Role.ADMIN).values_list(
            "organization_id", flat=True
        )
    )
    return {
        fw.pk
        for fw in frameworks
        if (fw.organization_id is None and user.is_staff) or fw.organization_id in admin_of
    }


def _can_read(user: User, framework: Framework) -> bool:
    if not user.is_authenticated:
        return False
    if framework.organization_id is None:
        return True
    return Membership.objects.filter(organization_id=framework.organization_id, user=user).exists()


def access_framework(user: User, framework_id: int, *, write: bool = False) -> Framework:
    """The framework if the user may read it (or change it, when `write`)."""
    framework = get_object_or_404(Framework.objects.select_related("organization"), pk=framework_id)
    if write and can_change(user, framework):
        return framework
    if not write and _can_read(user, framework):
        return framework
    raise Http404


def access_version(
    user: User, framework_id: int, number: int, *, write: bool = False
) -> FrameworkVersion:
    """A version of a framework the user may read; drafts only for those who may change it."""
    framework = access_framework(user, framework_id)
    version = get_object_or_404(
        FrameworkVersion.objects.select_related("framework__organization"),
        framework=framework,
        number=number,
    )
    needs_change = write or version.status == VersionStatus.DRAFT
    if needs_change and not can_change(user, framework):
        raise Http404
    return version
