"""Django admin for site staff: people, organizations, memberships, teams, invitations and
API tokens, read-only (an account can be switched off). Secrets and their hashes never show."""

from __future__ import annotations

from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.http import HttpRequest

from upward.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organization,
    Team,
    TeamMembership,
    User,
)
from upward.core.admin import ReadOnlyAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("organization", "user", "role", "joined_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Everything about a person but their password hash; only `is_active` can change."""

    list_display = ("email", "name", "is_active", "is_staff", "date_joined", "last_login")
    list_filter = ("is_active", "is_staff")
    search_fields = ("email", "name")
    ordering = ("email",)
    fields = ("email", "name", "is_active", "is_staff", "is_superuser", "date_joined", "last_login")
    readonly_fields = ("email", "name", "is_staff", "is_superuser", "date_joined", "last_login")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "is_personal", "anonymity_threshold", "created_at")
    list_filter = ("is_personal",)
    search_fields = ("name", "slug")
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organization", "role", "joined_at")
    list_filter = ("role",)
    search_fields = ("user__email", "organization__slug", "organization__name")
    list_select_related = ("user", "organization")


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    fields = ("user", "added_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ("name", "organization", "manager", "created_at")
    search_fields = ("name", "organization__slug", "manager__email")
    list_select_related = ("organization", "manager")
    inlines = (TeamMembershipInline,)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Invitations without the hash of their link."""

    list_display = ("email", "organization", "role", "created_at", "expires_at", "accepted_at")
    list_filter = ("role",)
    search_fields = ("email", "organization__slug")
    list_select_related = ("organization",)
    fields = (
        "organization",
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    )


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """API tokens by name and prefix, never their hash."""

    list_display = ("prefix", "name", "user", "scope", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("prefix", "name", "user__email")
    list_select_related = ("user",)
    fields = (
        "user",
        "name",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )


# allauth's own page for second factors shows their secrets; staff see only which exist,
# and may delete one for a person who lost their device.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(AllauthAuthenticatorAdmin):
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields
    search_fields = ("user__email",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
