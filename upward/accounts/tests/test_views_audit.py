"""The audit log page: admins only, fifty events a page, codes read as words, and a
query count that does not grow with the log.
"""

from __future__ import annotations

from upward.accounts.tests.pages import membership
from upward.core import audit
from upward.core.audit import AuditCode
from upward.core.tests.pages import assert_no_inline_code, text

# --- The audit log -------------------------------------------------------------------------


def test_admins_read_the_audit_log_fifty_events_a_page(as_ada, acme, ada):
    for n in range(60):
        audit.record(acme, AuditCode.FRAMEWORK_DRAFT_EDITED, actor=ada, data={"n": n})
    first = as_ada.get("/orgs/acme/audit/")
    assert first.status_code == 200
    assert first.content.decode().count("<code>framework.draft.edited</code>") == 50
    assert "n: 59" in text(first)
    assert 'href="?page=2"' in text(first)
    second = as_ada.get("/orgs/acme/audit/?page=2")
    assert "n: 0" in text(second)
    assert "Page 2 of 2" in text(second)
    assert_no_inline_code(first)


def test_audit_codes_read_as_words(as_ada, acme, alice):
    as_ada.post(f"/orgs/acme/members/{membership(acme, alice).pk}/role/", {"role": "mentor"})
    page = text(as_ada.get("/orgs/acme/audit/"))
    assert "Role changed" in page
    assert "ada@acme.test" in page


def test_a_plain_member_cannot_read_the_audit_log(as_alice, acme):
    assert as_alice.get("/orgs/acme/audit/").status_code == 404


def test_the_audit_log_costs_the_same_queries_however_long(
    as_ada, acme, ada, django_assert_num_queries
):
    audit.record(acme, AuditCode.FRAMEWORK_DRAFT_EDITED, actor=ada, data={"n": "first"})
    # 1 session, 2 user, 3 Ada's admin membership (access), 4 the nav's
    # current organization, 5 the nav's switcher, 6 the event count (pages),
    # 7 one page of events, 8 the unread count (the bell).
    with django_assert_num_queries(8):
        assert as_ada.get("/orgs/acme/audit/").status_code == 200
    for n in range(20):
        audit.record(acme, AuditCode.FRAMEWORK_DRAFT_EDITED, actor=ada, data={"n": n})
    with django_assert_num_queries(8):
        response = as_ada.get("/orgs/acme/audit/")
    assert "n: 19" in text(response)
