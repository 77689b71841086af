"""Audit codes read app.object.verb: rename the codes stored under their earlier names."""

from django.db import migrations

RENAMED = {
    "org.created": "account.organization.created",
    "org.member.added": "account.member.added",
    "org.member.removed": "account.member.removed",
    "org.member.left": "account.member.left",
    "org.member.role_changed": "account.member.role_changed",
    "org.invitation.created": "account.invitation.created",
    "org.invitation.revoked": "account.invitation.revoked",
    "org.team.created": "account.team.created",
    "org.team.updated": "account.team.updated",
    "org.team.deleted": "account.team.deleted",
    "org.team.member_added": "account.team.member_added",
    "org.team.member_removed": "account.team.member_removed",
    "framework.imported": "framework.version.imported",
    "framework.published": "framework.version.published",
    "framework.draft_created": "framework.draft.created",
    "framework.draft_edited": "framework.draft.edited",
    "framework.draft_discarded": "framework.draft.discarded",
    "assessment.self_rated": "assessment.placement.self_rated",
    "assessment.manager_rated": "assessment.placement.manager_rated",
}


def rename(apps, schema_editor, names):
    AuditEvent = apps.get_model("core", "AuditEvent")
    for old, new in names.items():
        AuditEvent.objects.filter(code=old).update(code=new)


def forwards(apps, schema_editor):
    rename(apps, schema_editor, RENAMED)


def backwards(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
