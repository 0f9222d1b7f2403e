from django.db import migrations

from cre_portal.accounts.capabilities import grant_capabilities, revoke_capabilities

# Directors and team managers read the public reports; the analyst and the service and child
# protection managers also see exact figures and request runs; only the analyst (the report
# manager) keeps the schedules and the committee paper's wording.
GRANTS = {
    "analyst": [
        "reports.view_reports",
        "reports.view_exact_figures",
        "reports.generate_reports",
        "reports.manage_report_schedules",
        "reports.edit_paper_templates",
    ],
    "director": ["reports.view_reports"],
    "service_manager": [
        "reports.view_reports",
        "reports.view_exact_figures",
        "reports.generate_reports",
    ],
    "cp_manager": [
        "reports.view_reports",
        "reports.view_exact_figures",
        "reports.generate_reports",
    ],
    "team_manager": ["reports.view_reports"],
}


def grant(apps, schema_editor):
    grant_capabilities(apps, GRANTS)


def revoke(apps, schema_editor):
    revoke_capabilities(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
