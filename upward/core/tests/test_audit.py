"""Audit codes: one list, one grammar (app.object.verb), and nothing else gets recorded."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps

from upward.core import audit
from upward.core.audit import CODE_GRAMMAR, AuditCode
from upward.core.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]
APP_PREFIXES = {
    "account",
    "framework",
    "assessment",
    "notification",
    "roadmap",
    "evidence",
    "mentorship",
    "insights",
}
MIGRATION = importlib.import_module("upward.core.migrations.0002_audit_codes_app_object_verb")


def record_calls(tree: ast.AST) -> list[ast.Call]:
    """Calls of `audit.record(...)` or `record(...)` imported from the audit module."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("audit.record", "record")
    ]


def codes_named_by(node: ast.expr) -> list[str]:
    """The codes an argument can evaluate to, or "?" for one only known when it runs."""
    if isinstance(node, ast.IfExp):
        return codes_named_by(node.body) + codes_named_by(node.orelse)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Attribute) and ast.unparse(node.value) == "AuditCode":
        member = AuditCode.__members__.get(node.attr)
        return [member.value if member else f"AuditCode.{node.attr}"]
    return ["?"]


def recorded_codes(source: str) -> list[str]:
    tree = ast.parse(source)
    return [code for call in record_calls(tree) for code in codes_named_by(call.args[1])]


def source_files() -> list[Path]:
    return [
        path
        for path in (ROOT / "upward").rglob("*.py")
        if "migrations" not in path.parts and "tests" not in path.parts
    ]


@pytest.mark.parametrize("code", list(AuditCode), ids=str)
def test_every_listed_code_reads_app_object_verb(code):
    assert CODE_GRAMMAR.fullmatch(code), code
    assert code.split(".")[0] in APP_PREFIXES, code
    assert code.name == code.value.upper().replace(".", "_")


def test_every_audit_record_call_in_the_tree_uses_a_listed_code():
    listed = {code.value for code in AuditCode}
    unlisted = {
        f"{path.relative_to(ROOT)}: {code}"
        for path in source_files()
        for code in recorded_codes(path.read_text())
        if code not in listed and code != "?"
    }
    assert not unlisted, sorted(unlisted)


def test_the_scan_catches_a_code_missing_from_the_list():
    planted = 'audit.record(org, "org.created", actor=by)\naudit.record(org, AuditCode.NOPE)'
    assert recorded_codes(planted) == ["org.created", "AuditCode.NOPE"]


def test_the_scan_reads_both_sides_of_a_choice():
    chosen = (
        "audit.record(m, AuditCode.ACCOUNT_MEMBER_LEFT if a else AuditCode.ACCOUNT_MEMBER_REMOVED)"
    )
    assert recorded_codes(chosen) == ["account.member.left", "account.member.removed"]


def test_recording_an_unlisted_code_is_refused_and_writes_nothing(acme):
    with pytest.raises(ValueError, match=r"org\.created"):
        audit.record(acme, "org.created", actor=None)  # type: ignore[arg-type]
    assert not AuditEvent.objects.exists()


def test_a_listed_code_given_as_text_is_stored_as_that_code(acme):
    event = audit.record(acme, "account.team.created", actor=None)  # type: ignore[arg-type]
    event.refresh_from_db()
    assert event.code == AuditCode.ACCOUNT_TEAM_CREATED


def test_events_stored_under_earlier_names_are_renamed_and_back(acme):
    old = AuditEvent.objects.create(organization=acme, code="org.member.added", target_id="1")
    kept = AuditEvent.objects.create(organization=acme, code="account.token.created", target_id="2")
    MIGRATION.forwards(apps, None)
    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.code, kept.code) == ("account.member.added", "account.token.created")
    MIGRATION.backwards(apps, None)
    old.refresh_from_db()
    assert old.code == "org.member.added"


def test_every_renamed_code_is_listed():
    listed = {code.value for code in AuditCode}
    assert set(MIGRATION.RENAMED.values()) <= listed
    assert not set(MIGRATION.RENAMED) & listed
