"""Feedback emails and pages say who asks by their name, and show addresses as typed."""

from __future__ import annotations

import pytest
from django.test import Client

from upward.assessments import services
from upward.assessments.services import feedback as feedback_services
from upward.core.tests.pages import words

OUTSIDE = "mentor.outside@partner.example"


@pytest.fixture
def ask_outside(placement, monkeypatch, django_capture_on_commit_callbacks):
    """Alice asks someone outside Acme by email; returns the emailed link's path."""

    def ask() -> str:
        monkeypatch.setattr(feedback_services, "new_link_secret", lambda: "outside-secret")
        with django_capture_on_commit_callbacks(execute=True):
            services.request_feedback(
                placement=placement,
                relationship="mentor",
                competencies=["shipping"],
                email=OUTSIDE,
            )
        return "/feedback/outside-secret/"

    return ask


def test_the_request_email_and_the_answer_page_say_the_askers_name(alice, ask_outside, mailoutbox):
    alice.name = "Alice Moreau"
    alice.save(update_fields=["name"])
    link = ask_outside()
    mail = mailoutbox[-1]
    assert mail.to == [OUTSIDE]
    assert mail.subject == "[Upward] Alice Moreau asks for your feedback"
    assert "Alice Moreau is working towards" in mail.body
    page = words(Client().get(link))
    assert "where is Alice Moreau operating consistently" in page
    assert "alice@" not in page


def test_someone_without_a_name_is_named_by_their_whole_address_never_capitalised(
    alice, ask_outside, mailoutbox
):
    alice.name = ""
    alice.save(update_fields=["name"])
    link = ask_outside()
    mail = mailoutbox[-1]
    assert mail.subject == "[Upward] alice@acme.test asks for your feedback"
    page = Client().get(link).content.decode()
    assert "alice@acme.test" in page
    assert "Alice@acme.test" not in page + mail.subject + mail.body


def test_no_feedback_page_shows_an_address_re_capitalised(as_alice, ask_outside):
    link = ask_outside()
    answered = Client().post(
        link, {"step-shipping": "l1", "consistent_at": "Deploys", "biggest_gap": "Estimates"}
    )
    assert answered.status_code == 302
    for url in ("/growth/", "/growth/feedback/"):
        html = as_alice.get(url).content.decode()
        assert OUTSIDE in html, url
        assert "Mentor.outside" not in html, url
        assert "Mentor.Outside" not in html, url
