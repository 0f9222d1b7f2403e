"""Create the roles (groups) and the account-management capabilities."""

from django.db import migrations

from cre_portal.accounts.capabilities import grant_capabilities, revoke_capabilities

ROLES = [
    "social_worker",
    "team_manager",
    "service_manager",
    "cp_manager",
    "missing_officer",
    "tasking_chair",
    "partner_member",
    "analyst",
    "director",
    "administrator",
]

GRANTS = {
    "administrator": [
        "accounts.manage_users",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_team",
        "accounts.add_team",
        "accounts.change_team",
    ],
}


def create_roles(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for role in ROLES:
        group_model.objects.get_or_create(name=role)
    grant_capabilities(apps, GRANTS)


def remove_roles(apps, schema_editor):
    revoke_capabilities(apps, GRANTS)
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
