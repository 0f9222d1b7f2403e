from django.db import migrations

from cre_portal.accounts.capabilities import grant_capabilities, revoke_capabilities

GRANTS = {
    "social_worker": ["referrals.view_team_children"],
    "team_manager": ["referrals.view_team_children", "referrals.view_child_access_log"],
    "service_manager": ["referrals.view_all_children", "referrals.view_child_access_log"],
    "cp_manager": ["referrals.view_all_children", "referrals.view_child_access_log"],
    "missing_officer": ["referrals.view_all_children"],
}


def grant(apps, schema_editor):
    grant_capabilities(apps, GRANTS)


def revoke(apps, schema_editor):
    revoke_capabilities(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
