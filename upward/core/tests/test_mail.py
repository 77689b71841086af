"""Mail sent after commit: one-line subjects, and failures logged instead of raised."""

from __future__ import annotations

import logging

from upward.core.mail import header_text, logged_failures


def test_a_subject_becomes_one_line_whatever_it_is_made_of():
    assert header_text("[Upward] You're invited to Acme\r\nBcc: x@y.example\x00 ") == (
        "[Upward] You're invited to Acme Bcc: x@y.example"
    )


def test_a_failing_sender_logs_and_returns(caplog):
    @logged_failures
    def send(*, to: str) -> None:
        raise ConnectionRefusedError(f"no mail server for {to}")

    with caplog.at_level(logging.ERROR, logger="upward.core.mail"):
        send(to="a@b.example")
    assert "Sending mail failed" in caplog.text
    assert "no mail server for a@b.example" in caplog.text
