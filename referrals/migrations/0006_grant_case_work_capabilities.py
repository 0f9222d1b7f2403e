from django.db import migrations

from cre_portal.accounts.capabilities import grant_capabilities, revoke_capabilities

GRANTS = {
    "social_worker": [
        "referrals.add_child_record",
        "referrals.record_referral",
        "referrals.record_missing_episode",
        "referrals.record_nrm",
    ],
    "team_manager": [
        "referrals.add_child_record",
        "referrals.record_referral",
        "referrals.screen_referral",
        "referrals.record_missing_episode",
        "referrals.record_nrm",
    ],
    "service_manager": [
        "referrals.add_child_record",
        "referrals.record_referral",
        "referrals.screen_referral",
        "referrals.record_missing_episode",
        "referrals.record_nrm",
    ],
    "cp_manager": [
        "referrals.add_child_record",
        "referrals.record_referral",
        "referrals.screen_referral",
        "referrals.record_missing_episode",
        "referrals.record_nrm",
    ],
    "missing_officer": [
        "referrals.add_child_record",
        "referrals.record_referral",
        "referrals.record_missing_episode",
    ],
    "administrator": ["referrals.import_cases"],
}


def grant(apps, schema_editor):
    grant_capabilities(apps, GRANTS)


def revoke(apps, schema_editor):
    revoke_capabilities(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0005_fill_search_text"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
