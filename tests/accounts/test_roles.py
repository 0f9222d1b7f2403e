import pytest
from django.contrib.auth.models import Group

from cre_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db

CASEWORK = {
    "referrals.add_child_record",
    "referrals.record_referral",
    "referrals.record_missing_episode",
    "referrals.record_nrm",
}
ASSESSING = {
    "risk_assessment.complete_assessment",
    "risk_assessment.book_meeting",
    "tasking.record_subject",
}
MANAGER = {
    *CASEWORK,
    *ASSESSING,
    "referrals.screen_referral",
    "referrals.view_child_access_log",
    "risk_assessment.approve_assessment",
    "reports.view_reports",
}
REPORTING = {"reports.view_reports", "reports.view_exact_figures", "reports.generate_reports"}

ROLE_CAPABILITIES = {
    Role.SOCIAL_WORKER: {"referrals.view_team_children", *CASEWORK, *ASSESSING},
    Role.TEAM_MANAGER: {"referrals.view_team_children", *MANAGER},
    Role.SERVICE_MANAGER: {"referrals.view_all_children", *MANAGER, *REPORTING},
    Role.CP_MANAGER: {"referrals.view_all_children", *MANAGER, *REPORTING},
    Role.MISSING_OFFICER: {
        "referrals.view_all_children",
        "referrals.add_child_record",
        "referrals.record_referral",
        "referrals.record_missing_episode",
        "tasking.record_subject",
    },
    Role.TASKING_CHAIR: {
        "tasking.record_subject",
        "tasking.chair_tasking",
        "tasking.manage_tasking_groups",
        "referrals.view_shared_children",
    },
    Role.PARTNER_MEMBER: {"tasking.record_subject", "referrals.view_shared_children"},
    Role.ANALYST: {
        *REPORTING,
        "reports.manage_report_schedules",
        "reports.edit_paper_templates",
    },
    Role.DIRECTOR: {"reports.view_reports"},
    Role.ADMINISTRATOR: {
        "accounts.manage_users",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_team",
        "accounts.add_team",
        "accounts.change_team",
        "audit.view_any_access_log",
        "audit.view_accesslogentry",
        "referrals.import_cases",
        "risk_assessment.publish_template",
        "risk_assessment.view_intervention",
        "risk_assessment.add_intervention",
        "risk_assessment.change_intervention",
        "risk_assessment.delete_intervention",
        "tasking.manage_tasking_groups",
    },
}


def capabilities(group):
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_every_role_exists_as_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


@pytest.mark.parametrize("role", list(Role))
def test_role_has_exactly_its_capabilities(role):
    assert capabilities(Group.objects.get(name=role)) == ROLE_CAPABILITIES[role]
