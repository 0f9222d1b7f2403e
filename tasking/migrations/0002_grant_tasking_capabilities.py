from django.db import migrations

from cre_portal.accounts.capabilities import grant_capabilities, revoke_capabilities

RECORD = ["tasking.record_subject"]
GRANTS = {
    "social_worker": RECORD,
    "team_manager": RECORD,
    "service_manager": RECORD,
    "cp_manager": RECORD,
    "missing_officer": RECORD,
    "tasking_chair": [
        *RECORD,
        "tasking.chair_tasking",
        "tasking.manage_tasking_groups",
        "referrals.view_shared_children",
    ],
    "partner_member": [*RECORD, "referrals.view_shared_children"],
    "administrator": ["tasking.manage_tasking_groups"],
}


def grant(apps, schema_editor):
    grant_capabilities(apps, GRANTS)


def revoke(apps, schema_editor):
    revoke_capabilities(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("tasking", "0001_initial"),
        ("referrals", "0009_child_share"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
