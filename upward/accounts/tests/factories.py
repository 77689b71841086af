"""Factories for people, organizations, memberships and teams."""

from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress

from upward.accounts import services
from upward.accounts.models import Membership, Organization, Role, Team, TeamMembership, User
from upward.testing import PASSWORD


class UserFactory(factory.django.DjangoModelFactory):
    """A verified user with a personal space, as sign-up would leave them."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    name = ""
    password = PASSWORD

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        user = model_class.objects.create_user(*args, **kwargs)
        EmailAddress.objects.create(user=user, email=kwargs["email"], verified=True, primary=True)
        services.create_personal_organization(user=user)
        return user


class OrganizationFactory(factory.django.DjangoModelFactory):
    """A shared organization (not anyone's personal space)."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.LazyAttribute(lambda org: org.name.lower().replace(" ", "-"))


class MembershipFactory(factory.django.DjangoModelFactory):
    """A person's place in an organization, a plain member unless `role` says otherwise."""

    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


class TeamFactory(factory.django.DjangoModelFactory):
    """A team in an organization, without a manager unless one is given."""

    class Meta:
        model = Team

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    manager = None


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    """A person on a team, in the team's organization."""

    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    organization = factory.SelfAttribute("team.organization")
