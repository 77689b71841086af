"""The email address and one-line name checks every form, API and service shares."""

from __future__ import annotations

import pytest

from upward.core.errors import Invalid
from upward.core.validators import email_address, single_line

HEADER_INJECTION = "a@b.example\r\nBcc: victim@x.example"


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("  Newbie@Acme.TEST ", "newbie@acme.test"),
        ("first.last+tag@sub.example.org", "first.last+tag@sub.example.org"),
        ("a@bücher.example", "a@bücher.example"),
        ("a@XN--BCHER-KVA.example", "a@bücher.example"),  # stored as mail reads it back
    ],
)
def test_an_address_mail_can_take_is_stored_lowercased(value, stored):
    assert email_address(value) == stored


@pytest.mark.parametrize(
    "value",
    [
        HEADER_INJECTION,
        "x@y.zz\nBcc: victim@example.org",
        "a@b.example\n",
        "a@b.example\x00",
        "not-an-email",
        "l",
        "",
        "   ",
        "a@b.example, c@d.example",
        "a@b.example,c@d.example",
        "a@b.example;c@d.example",
        "Bob <bob@b.example>",
        '"a b"@b.example',
        "a@@b.example",
        "a@b\u0080.cd",  # a C1 control character
        "a@\u2488.de",  # IDNA turns it into "1..de"
        "a@" + "ü" * 60 + ".de",  # each label fits, the encoded one doesn't
        "a@xn--zz.example",  # not valid punycode
        "a@localhost",
        "a@[127.0.0.1]",
        "a@b.example.",
        "a@.example",
        "ünï@b.example",
        "a" * 65 + "@b.example",
        "a@" + "b" * 250 + ".example",
    ],
)
def test_anything_but_one_sendable_address_is_refused_naming_the_field(value):
    with pytest.raises(Invalid) as raised:
        email_address(value, field="rater_email")
    assert raised.value.field == "rater_email"


@pytest.mark.parametrize("value", ["Acme", "  Acme  ", "Ünïcode Café 🚀", "R&D / Ops"])
def test_a_one_line_name_is_kept_without_surrounding_spaces(value):
    assert single_line(value, field="name") == value.strip()


@pytest.mark.parametrize(
    "value",
    [
        "Acme\x00",
        "Acme\r\nBcc: victim@x.example",
        "Acme\n",
        "Ac\tme",
        "Acme\x1b[31m",
        "Acme\x7f",
        "Acme\x85",
        "Acme\u2028Corp",
        "Acme\u202eevil",
    ],
)
def test_control_characters_in_a_name_are_refused_naming_the_field(value):
    with pytest.raises(Invalid) as raised:
        single_line(value, field="name")
    assert raised.value.field == "name"
    assert "one line" in raised.value.message
