"""Helpers for the delta page tests: colleagues in Acme, answered requests, leaving Acme."""

from __future__ import annotations

from upward.accounts.models import Membership
from upward.accounts.services import remove_member
from upward.assessments import services
from upward.testing import make_user


def make_peers(acme, n, prefix="peer"):
    people = []
    for i in range(n):
        person = make_user(f"{prefix}{i}@acme.test", f"{prefix.title()} Number{i}")
        Membership.objects.create(organization=acme, user=person)
        people.append(person)
    return people


def ask_and_answer(placement, rater, ratings, *, anonymous=False, relationship="peer", words=""):
    request = services.request_feedback(
        placement=placement,
        relationship=relationship,
        competencies=[],
        rater=rater,
        anonymous=anonymous,
    )
    return services.respond(
        feedback_request=request, ratings=ratings, by=rater, consistent_at=words, biggest_gap=words
    )


def leave_acme(person, *, by):
    membership = Membership.objects.get(organization__slug="acme", user=person)
    remove_member(membership=membership, by=by)
