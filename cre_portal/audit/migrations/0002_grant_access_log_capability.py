from django.db import migrations

from cre_portal.accounts.capabilities import grant_capabilities, revoke_capabilities

GRANTS = {"administrator": ["audit.view_any_access_log", "audit.view_accesslogentry"]}


def grant(apps, schema_editor):
    grant_capabilities(apps, GRANTS)


def revoke(apps, schema_editor):
    revoke_capabilities(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
