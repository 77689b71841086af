"""The header's compact menu for phones: the same main links, organization picker and
account links as the wide header, in a <details> that needs no JavaScript, with no
id used twice."""

from __future__ import annotations

import re
from collections import Counter

from django.test import Client

from upward.accounts.tests.factories import MembershipFactory
from upward.core.tests.pages import assert_no_inline_code
from upward.testing import client_for


def _compact(html: str) -> str:
    start = html.index('<details class="menu nav-compact">')
    return html[start : html.index("</details>", start)]


def _links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', html)


def test_the_compact_menu_holds_every_main_link_of_the_wide_header(alice):
    response = client_for(alice).get("/dashboard/")
    html = response.content.decode()

    wide = html.split('<nav class="nav-wide" aria-label="Main">')[1].split("</nav>")[0]
    compact = _compact(html)
    assert "<summary>Menu</summary>" in compact
    assert set(_links(wide)) <= set(_links(compact))
    assert "/growth/" in _links(compact)
    assert "/settings/tokens/" in _links(compact)
    assert "Log out" in compact
    assert_no_inline_code(response)


def test_a_manager_finds_their_team_in_the_compact_menu(bob):
    compact = _compact(client_for(bob).get("/dashboard/").content.decode())

    assert "/growth/team/" in _links(compact)


def test_someone_in_two_organizations_can_switch_from_the_compact_menu_without_repeated_ids(
    alice, globex
):
    MembershipFactory(organization=globex, user=alice)
    html = client_for(alice).get("/dashboard/").content.decode()

    compact = _compact(html)
    assert '<select id="org-switch-compact" name="organization"' in compact
    assert '<label class="visually-hidden" for="org-switch-compact">' in compact
    assert 'value="globex"' in compact
    repeated = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if n > 1]
    assert repeated == []


def test_someone_signed_out_gets_no_compact_menu(db):
    html = Client().get("/").content.decode()

    assert "nav-compact" not in html
