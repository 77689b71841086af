"""API for the signed-in person, their organizations, teams, invitations and tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, File, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.security import SessionAuth

from upward.accounts import access, photos, selectors, services
from upward.accounts.current import api_caller
from upward.accounts.models import Membership, Role, Team, User
from upward.core.errors import Invalid
from upward.core.schemas import ErrorOut, Id, Pages
from upward.core.validators import EMAIL_PATTERN

router = Router(tags=["accounts"])

RoleName = Literal["member", "manager", "mentor", "admin"]


class UserOut(Schema):
    id: int
    email: str
    name: str


class OrganizationOut(Schema):
    slug: str
    name: str
    is_personal: bool
    role: str = Field(..., description="Your role in this organization")


class MeOut(Schema):
    id: int
    email: str
    name: str
    organizations: list[OrganizationOut]


class ProfileOut(Schema):
    name: str
    email: str
    time_zone: str = Field(..., description='An IANA zone name, or "" when not set')
    languages: list[str] = Field(..., description="Language codes, in the person's order")
    initials: str = Field(..., description="The letters of the initials avatar")
    photo_url: str | None = Field(
        ...,
        description="Where the photo is served (to you and people in your organizations), "
        "or null when the initials stand in",
    )


class ProfilePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=150)
    time_zone: str | None = Field(None, max_length=64, description='An IANA zone name; "" clears')
    languages: list[str] | None = Field(
        None, max_length=20, description="Codes (en, pt-br) or names (French); [] clears"
    )


class OrganizationIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    slug: str = Field(
        "",
        max_length=60,
        pattern=rf"^(?:{services.SLUG_PATTERN})?$",
        description="Short name for URLs; made from the name when left out",
    )


class MemberOut(Schema):
    id: int
    user: UserOut
    role: str
    joined_at: datetime


class MemberPatch(Schema):
    role: RoleName


class InvitationIn(Schema):
    email: str = Field(..., min_length=3, max_length=254, pattern=EMAIL_PATTERN)
    role: RoleName = "member"


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    status: str
    created_at: datetime
    expires_at: datetime


class AcceptIn(Schema):
    token: str = Field(..., min_length=10, max_length=200)


class TeamIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    manager_id: Id | None = None


class TeamPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    manager_id: Id | None = None
    clear_manager: bool = Field(False, strict=True)


class TeamOut(Schema):
    id: int
    name: str
    manager: UserOut | None
    member_count: int = 0


class TeamDetailOut(Schema):
    id: int
    name: str
    manager: UserOut | None
    members: list[UserOut]


class TeamMemberIn(Schema):
    user_id: Id


class AuditEventOut(Schema):
    id: int
    code: str
    actor: str = Field(..., alias="actor_label")
    target_type: str
    target_id: str
    target: str = Field(..., alias="target_label")
    data: dict[str, object]
    created_at: datetime


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    scope: Literal["read", "write"] = "read"
    expires_in_days: int = Field(90, ge=1, le=365)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="The secret token. It is shown only this once.")


class SignedInSession(SessionAuth):
    """The session cookie (with its CSRF token on writes) and nothing else."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            raise HttpError(
                403,
                "Tokens are made from a signed-in session, not with a token: sign in to "
                "Upward and create one under Settings → API tokens.",
            )
        return super().__call__(request)


def _org_out(m: Membership) -> OrganizationOut:
    o = m.organization
    return OrganizationOut(slug=o.slug, name=o.name, is_personal=o.is_personal, role=m.role)


def _member_in_org(org_id: int, user_id: int | None, field: str) -> User | None:
    if user_id is None:
        return None
    m = (
        Membership.objects.select_related("user")
        .filter(organization_id=org_id, user_id=user_id)
        .first()
    )
    if m is None:
        raise Invalid(f"User {user_id} is not a member of this organization.", field=field)
    return m.user


@router.get("/me", response=MeOut)
def get_me(request: HttpRequest) -> MeOut:
    """The signed-in person and the organizations they belong to."""
    user = api_caller(request)
    orgs = [_org_out(m) for m in selectors.memberships_of(user)]
    return MeOut(id=user.pk, email=user.email, name=user.name, organizations=orgs)


def _profile_out(user: User) -> ProfileOut:
    return ProfileOut(
        name=user.name,
        email=user.email,
        time_zone=user.time_zone,
        languages=list(user.languages),
        initials=user.initials,
        photo_url=_photo_url(user),
    )


def _photo_url(user: User) -> str | None:
    if not user.photo_version:
        return None
    return f"{reverse('accounts:photo', args=[user.pk])}?v={user.photo_version}"


def _limit_photo_upload(run: Any) -> Any:
    """Put the photo's size limit first, before authentication or parsing reads the body."""

    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.upload_handlers.insert(0, photos.PhotoUploadHandler(request))
        return run(request, *args, **kwargs)

    return limited


@router.get("/me/profile", response=ProfileOut)
def get_profile(request: HttpRequest) -> ProfileOut:
    """The signed-in person's name, time zone and languages."""
    return _profile_out(api_caller(request))


@router.patch("/me/profile", response=ProfileOut)
def update_profile(request: HttpRequest, payload: ProfilePatch) -> ProfileOut:
    """Change any of name, time zone and languages; a bad value changes nothing."""
    user = services.update_profile(
        user=api_caller(request), **payload.model_dump(exclude_unset=True)
    )
    return _profile_out(user)


@router.post("/me/profile/photo", response={200: ProfileOut, 413: ErrorOut})
@decorate_view(_limit_photo_upload)
def update_profile_photo(
    request: HttpRequest,
    photo: UploadedFile = File(..., description="A JPEG, PNG or WebP picture of up to 5 MB"),  # noqa: B008 (ninja's way of declaring uploads)
) -> ProfileOut:
    """Upload or replace your photo (multipart, field "photo"); a refused file changes nothing.

    It is kept as a 256 x 256 square WebP without metadata.
    """
    user = services.set_photo(user=api_caller(request), data=photo.read())
    return _profile_out(user)


@router.delete("/me/profile/photo", response={204: None})
def delete_profile_photo(request: HttpRequest) -> Status:
    """Remove your photo; your initials stand in again."""
    services.remove_photo(user=api_caller(request))
    return Status(204, None)


@router.get("/orgs", response=list[OrganizationOut])
@paginate(Pages, page_size=50)
def list_orgs(request: HttpRequest) -> list[OrganizationOut]:
    """Organizations the signed-in person belongs to."""
    return [_org_out(m) for m in selectors.memberships_of(api_caller(request))]


@router.post("/orgs", response={201: OrganizationOut, 409: ErrorOut})
def create_org(request: HttpRequest, payload: OrganizationIn) -> Status:
    """Create an organization; you become its admin."""
    org = services.create_organization(name=payload.name, slug=payload.slug, by=api_caller(request))
    return Status(
        201, OrganizationOut(slug=org.slug, name=org.name, is_personal=False, role=Role.ADMIN)
    )


@router.get("/orgs/{slug}", response=OrganizationOut)
def get_org(request: HttpRequest, slug: str) -> OrganizationOut:
    """One of your organizations."""
    return _org_out(access.access_organization(api_caller(request), slug))


@router.get("/orgs/{slug}/members", response=list[MemberOut])
@paginate(Pages, page_size=50)
def list_members(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """Members of an organization (any member may list them)."""
    own = access.access_organization(api_caller(request), slug)
    return selectors.members_of(own.organization)


@router.patch("/orgs/{slug}/members/{member_id}", response={200: MemberOut, 409: ErrorOut})
def update_member(
    request: HttpRequest, slug: str, member_id: Id, payload: MemberPatch
) -> Membership:
    """Change a member's role (admins only)."""
    membership = access.access_membership(api_caller(request), slug, member_id, write=True)
    return services.change_role(membership=membership, role=payload.role, by=api_caller(request))


@router.delete("/orgs/{slug}/members/{member_id}", response={204: None, 409: ErrorOut})
def delete_member(request: HttpRequest, slug: str, member_id: Id) -> Status:
    """Remove a member (admins), or leave (your own membership)."""
    user = api_caller(request)
    membership = access.access_membership(user, slug, member_id)
    if membership.user_id != user.pk:
        membership = access.access_membership(user, slug, member_id, write=True)
    services.remove_member(membership=membership, by=user)
    return Status(204, None)


@router.get("/orgs/{slug}/invitations", response=list[InvitationOut])
@paginate(Pages, page_size=50)
def list_invitations(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """Pending invitations (admins only)."""
    own = access.access_organization(api_caller(request), slug, admin=True)
    return selectors.pending_invitations(own.organization)


@router.post("/orgs/{slug}/invitations", response={201: InvitationOut, 409: ErrorOut})
def create_invitation(request: HttpRequest, slug: str, payload: InvitationIn):  # type: ignore[no-untyped-def]
    """Invite someone by email (admins only); they get a single-use link."""
    own = access.access_organization(api_caller(request), slug, admin=True)
    inv = services.invite_member(
        organization=own.organization,
        email=payload.email,
        role=payload.role,
        by=api_caller(request),
    )
    return Status(201, inv)


@router.delete("/orgs/{slug}/invitations/{invitation_id}", response={204: None, 409: ErrorOut})
def delete_invitation(request: HttpRequest, slug: str, invitation_id: Id) -> Status:
    """Withdraw a pending invitation (admins only)."""
    inv = access.access_invitation(api_caller(request), slug, invitation_id)
    services.revoke_invitation(invitation=inv, by=api_caller(request))
    return Status(204, None)


@router.post("/invitations/accept", response={201: OrganizationOut, 409: ErrorOut})
def accept_invitation(request: HttpRequest, payload: AcceptIn) -> Status:
    """Join an organization with the token from an invitation link."""
    membership = services.accept_invitation(secret=payload.token, user=api_caller(request))
    return Status(201, _org_out(membership))


@router.get("/orgs/{slug}/teams", response=list[TeamOut])
@paginate(Pages, page_size=50)
def list_teams(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """Teams of an organization."""
    own = access.access_organization(api_caller(request), slug)
    return selectors.teams_of(own.organization)


@router.post("/orgs/{slug}/teams", response={201: TeamOut, 409: ErrorOut})
def create_team(request: HttpRequest, slug: str, payload: TeamIn):  # type: ignore[no-untyped-def]
    """Create a team (admins only)."""
    own = access.access_organization(api_caller(request), slug, admin=True)
    manager = _member_in_org(own.organization_id, payload.manager_id, "manager_id")
    team = services.create_team(
        organization=own.organization, name=payload.name, manager=manager, by=api_caller(request)
    )
    return Status(201, team)


def _team_detail(accessed: Team) -> TeamDetailOut:
    """A team (already through access) with its members."""
    team = selectors.team_with_members(accessed)
    return TeamDetailOut(
        id=team.pk,
        name=team.name,
        manager=team.manager,  # type: ignore[arg-type]
        members=[tm.user for tm in team.team_memberships.all()],  # type: ignore[misc]
    )


@router.get("/orgs/{slug}/teams/{team_id}", response=TeamDetailOut)
def get_team(request: HttpRequest, slug: str, team_id: Id) -> TeamDetailOut:
    """A team with its members."""
    team = access.access_team(api_caller(request), slug, team_id)
    return _team_detail(team)


@router.patch("/orgs/{slug}/teams/{team_id}", response={200: TeamDetailOut, 409: ErrorOut})
def update_team(request: HttpRequest, slug: str, team_id: Id, payload: TeamPatch) -> TeamDetailOut:
    """Rename a team or change its manager (admins only)."""
    own = access.access_organization(api_caller(request), slug, admin=True)
    team = access.access_team(api_caller(request), slug, team_id, write=True)
    manager = _member_in_org(own.organization_id, payload.manager_id, "manager_id")
    services.update_team(
        team=team,
        by=api_caller(request),
        name=payload.name,
        manager=manager,
        clear_manager=payload.clear_manager,
    )
    return _team_detail(team)


@router.delete("/orgs/{slug}/teams/{team_id}", response={204: None})
def delete_team(request: HttpRequest, slug: str, team_id: Id) -> Status:
    """Delete a team (admins only); its people stay in the organization."""
    access.access_organization(api_caller(request), slug, admin=True)
    team = access.access_team(api_caller(request), slug, team_id, write=True)
    services.delete_team(team=team, by=api_caller(request))
    return Status(204, None)


@router.post("/orgs/{slug}/teams/{team_id}/members", response={201: TeamDetailOut, 409: ErrorOut})
def create_team_member(
    request: HttpRequest, slug: str, team_id: Id, payload: TeamMemberIn
) -> Status:
    """Add an organization member to a team (admins only)."""
    team = access.access_team(api_caller(request), slug, team_id, write=True)
    user = _member_in_org(team.organization_id, payload.user_id, "user_id")
    assert user is not None
    services.add_team_member(team=team, user=user, by=api_caller(request))
    return Status(201, _team_detail(team))


@router.delete(
    "/orgs/{slug}/teams/{team_id}/members/{user_id}", response={204: None, 409: ErrorOut}
)
def delete_team_member(request: HttpRequest, slug: str, team_id: Id, user_id: Id) -> Status:
    """Take someone off a team (admins only)."""
    team = access.access_team(api_caller(request), slug, team_id, write=True)
    user = _member_in_org(team.organization_id, user_id, "user_id")
    assert user is not None
    services.remove_team_member(team=team, user=user, by=api_caller(request))
    return Status(204, None)


@router.get("/orgs/{slug}/audit", response=list[AuditEventOut])
@paginate(Pages, page_size=50)
def list_audit_events(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """The organization's audit log, newest first (admins only)."""
    org = access.access_audit_log(api_caller(request), slug)
    return selectors.audit_log(org)


@router.get("/tokens", response=list[TokenOut])
@paginate(Pages, page_size=50)
def list_tokens(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Your personal access tokens (never their secrets)."""
    return selectors.tokens_of(api_caller(request))


@router.post("/tokens", response={201: TokenCreatedOut}, auth=SignedInSession(csrf=True))
def create_token(request: HttpRequest, payload: TokenIn) -> Status:
    """Create a personal access token. Only a signed-in session can: tokens can't mint tokens."""
    token, raw = services.create_api_token(
        user=api_caller(request),
        name=payload.name,
        scope=payload.scope,
        days=payload.expires_in_days,
    )
    return Status(
        201,
        TokenCreatedOut(
            id=token.pk,
            name=token.name,
            prefix=token.prefix,
            scope=token.scope,
            created_at=token.created_at,
            expires_at=token.expires_at,
            last_used_at=None,
            revoked_at=None,
            token=raw,
        ),
    )


@router.delete("/tokens/{token_id}", response={204: None, 409: ErrorOut})
def delete_token(request: HttpRequest, token_id: Id) -> Status:
    """Revoke one of your tokens; it stops working at once."""
    token = access.access_api_token(api_caller(request), token_id)
    services.revoke_api_token(token=token, by=api_caller(request))
    return Status(204, None)
