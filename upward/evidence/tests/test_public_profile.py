"""The public profile: only what the person made public, readable without an account, with
their name and nothing of their organization; 404 when they made nothing public."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from upward.accounts.models import User
from upward.evidence.services.threads import open_thread, react, reply
from upward.evidence.tests.factories import EntryFactory
from upward.testing import page


@pytest.fixture
def public_thread(alice, acme, bob):
    thread = open_thread(
        owner=alice,
        organization=acme,
        title="Learning Rust in the open",
        visibility="public",
        body="Week one: **ownership** finally clicked.",
    )
    answer = reply(thread=thread, by=bob, body="Try the borrow checker exercises next.")
    react(post=answer, by=alice, kind="applause")
    return thread


@pytest.fixture
def inner_threads(alice, acme):
    return [
        open_thread(owner=alice, organization=acme, title=f"An {tier} thread", visibility=tier)
        for tier in ("private", "mentors", "manager", "organization")
    ]


def profile_url(user: User) -> str:
    return reverse("evidence:public_profile", args=[user.pk])


def thread_url(thread) -> str:
    return reverse("evidence:public_thread", args=[thread.owner_id, thread.pk])


def test_a_visitor_reads_the_public_threads_and_entries_and_nothing_else(
    alice, placement, public_thread, inner_threads
):
    EntryFactory.create(placement=placement, title="Shipped the export", visibility="public")
    EntryFactory.create(placement=placement, title="A team-only win", visibility="organization")
    shown = page(Client(), profile_url(alice))
    assert "Alice" in shown.words
    assert "Learning Rust in the open" in shown.words
    assert "Shipped the export" in shown.words
    assert "A team-only win" not in shown.words
    for thread in inner_threads:
        assert thread.title not in shown.words


def test_the_profile_shows_no_address_no_photo_and_nothing_of_the_organization(
    alice, acme, public_thread
):
    User.objects.filter(pk=alice.pk).update(photo_version="abc123")
    shown = page(Client(), profile_url(alice))
    assert alice.email not in shown.html
    assert "Acme" not in shown.html
    assert "/photo" not in shown.html


def test_someone_without_a_name_is_not_shown_by_their_address(alice, public_thread):
    User.objects.filter(pk=alice.pk).update(name="")
    shown = page(Client(), profile_url(alice))
    assert "An Upward member" in shown.words
    assert alice.email not in shown.html


def test_nothing_public_means_no_profile(alice, inner_threads):
    page(Client(), profile_url(alice), status=404)


def test_an_unknown_or_deactivated_person_has_no_profile(alice, public_thread):
    page(Client(), reverse("evidence:public_profile", args=[alice.pk + 1000]), status=404)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    page(Client(), profile_url(alice), status=404)
    page(Client(), thread_url(public_thread), status=404)


def test_a_visitor_reads_a_public_thread_with_its_replies_by_name_and_no_forms(bob, public_thread):
    shown = page(Client(), thread_url(public_thread))
    assert "ownership finally clicked" in shown.words
    assert "<strong>ownership</strong>" in shown.html  # rendered as Markdown
    assert "Bob replied" in shown.words
    assert "Try the borrow checker exercises next." in shown.words
    assert bob.email not in shown.html
    assert "<form" not in shown.html
    assert "<textarea" not in shown.html
    assert "Acme" not in shown.html


def test_signed_in_people_get_the_same_read_only_page(as_eve, public_thread):
    shown = page(as_eve, thread_url(public_thread))
    assert "<textarea" not in shown.html
    assert "Bob replied" in shown.words


def test_private_and_organization_threads_are_not_found_on_the_public_pages(
    alice, public_thread, inner_threads
):
    for thread in inner_threads:
        page(Client(), thread_url(thread), status=404)


def test_a_public_thread_is_only_found_under_its_owner(bob, alice, public_thread):
    url = reverse("evidence:public_thread", args=[bob.pk, public_thread.pk])
    page(Client(), url, status=404)


def test_the_public_pages_answer_only_get(alice, public_thread):
    assert Client().post(profile_url(alice)).status_code == 405
    assert Client().post(thread_url(public_thread)).status_code == 405


def test_the_profile_takes_a_fixed_number_of_queries(
    alice, placement, acme, django_assert_num_queries
):
    for i in range(3):
        open_thread(owner=alice, organization=acme, title=f"Thread {i}", visibility="public")
        EntryFactory.create(placement=placement, title=f"Entry {i}", visibility="public")
    # 1 the person, 2 their public threads with update counts, 3 their public entries
    # with confirmation counts.
    with django_assert_num_queries(3):
        page(Client(), profile_url(alice))


def test_a_replier_without_a_name_is_shown_as_someone(public_thread, bob):
    User.objects.filter(pk=bob.pk).update(name="")
    shown = page(Client(), thread_url(public_thread))
    assert "Someone replied" in shown.words
    assert bob.email not in shown.html
