from django.db import migrations

from cre_portal.accounts.capabilities import grant_capabilities, revoke_capabilities

WORKER = ["risk_assessment.complete_assessment", "risk_assessment.book_meeting"]
MANAGER = [*WORKER, "risk_assessment.approve_assessment"]
GRANTS = {
    "social_worker": WORKER,
    "team_manager": MANAGER,
    "service_manager": MANAGER,
    "cp_manager": MANAGER,
    "administrator": ["risk_assessment.publish_template"],
}


def grant(apps, schema_editor):
    grant_capabilities(apps, GRANTS)


def revoke(apps, schema_editor):
    revoke_capabilities(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("risk_assessment", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
