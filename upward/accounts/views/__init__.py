"""Pages for organizations, members, teams, invitations, the audit log, the profile and API tokens.

Each view parses its input, checks access with `access.py` (missing and
forbidden both answer 404), calls one service or selector and renders. A
service's error is shown in place by `service_errors`; a write ends in a
redirect, or for htmx in the refreshed fragment of the page.
"""

from __future__ import annotations

from upward.accounts.views.api_tokens import token_list, token_revoke
from upward.accounts.views.audit import audit_log
from upward.accounts.views.members import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_remove,
    membership_role,
)
from upward.accounts.views.organizations import org_detail, org_leave, org_list, org_switch
from upward.accounts.views.profile import (
    photo,
    photo_by_link,
    profile,
    profile_photo,
    profile_photo_remove,
)
from upward.accounts.views.teams import (
    team_create,
    team_delete,
    team_detail,
    team_manager,
    team_member_add,
    team_member_remove,
    team_rename,
)

__all__ = [
    "audit_log",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "membership_remove",
    "membership_role",
    "org_detail",
    "org_leave",
    "org_list",
    "org_switch",
    "photo",
    "photo_by_link",
    "profile",
    "profile_photo",
    "profile_photo_remove",
    "team_create",
    "team_delete",
    "team_detail",
    "team_manager",
    "team_member_add",
    "team_member_remove",
    "team_rename",
    "token_list",
    "token_revoke",
]
