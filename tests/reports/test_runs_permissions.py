"""Who may do what with reports, role by role (plus no role and an inactive analyst)."""

import pytest

from cre_portal.accounts.roles import Role
from reports.permissions.runs import (
    can_edit_paper_templates,
    can_generate_reports,
    can_manage_report_schedules,
    can_request_report,
    can_view_exact_figures,
    can_view_reports,
    can_view_run,
    visible_report_runs,
    visible_report_schedules,
)
from tests.accounts.factories import UserFactory
from tests.reports.factories_runs import DoneReportRunFactory, ReportScheduleFactory

pytestmark = pytest.mark.django_db

# role: (reads, exact, generates, manages schedules and wording)
EXPECTED = {
    Role.ANALYST: (True, True, True, True),
    Role.DIRECTOR: (True, False, False, False),
    Role.SERVICE_MANAGER: (True, True, True, False),
    Role.CP_MANAGER: (True, True, True, False),
    Role.TEAM_MANAGER: (True, False, False, False),
    Role.SOCIAL_WORKER: (False, False, False, False),
    Role.MISSING_OFFICER: (False, False, False, False),
    Role.TASKING_CHAIR: (False, False, False, False),
    Role.PARTNER_MEMBER: (False, False, False, False),
    Role.ADMINISTRATOR: (False, False, False, False),
    None: (False, False, False, False),
}


def test_every_role_is_in_the_table():
    assert set(EXPECTED) == {*Role, None}


@pytest.mark.parametrize(("role", "expected"), EXPECTED.items())
def test_capabilities_by_role(role, expected):
    user = UserFactory(roles=[role] if role else [])
    reads, exact, generates, manages = expected

    assert can_view_reports(user) is reads
    assert can_view_exact_figures(user) is exact
    assert can_generate_reports(user) is generates
    assert can_request_report(user, exact=False) is generates
    assert can_request_report(user, exact=True) is (generates and exact)
    assert can_manage_report_schedules(user) is manages
    assert can_edit_paper_templates(user) is manages


@pytest.mark.parametrize(("role", "expected"), EXPECTED.items())
def test_visible_runs_and_schedules_by_role(role, expected):
    # given
    public, exact = DoneReportRunFactory(), DoneReportRunFactory(exact=True)
    schedule = ReportScheduleFactory()
    user = UserFactory(roles=[role] if role else [])
    reads, sees_exact, _, manages = expected

    # when
    runs = set(visible_report_runs(user))

    # then
    assert runs == {run for run, seen in ((public, reads), (exact, sees_exact)) if seen}
    assert can_view_run(user, public) is reads
    assert can_view_run(user, exact) is sees_exact
    assert list(visible_report_schedules(user)) == ([schedule] if manages else [])


def test_an_inactive_analyst_may_do_nothing():
    user = UserFactory(roles=[Role.ANALYST], is_active=False)

    assert not can_view_reports(user)
    assert not can_manage_report_schedules(user)
    assert not can_edit_paper_templates(user)
    assert not visible_report_runs(user).exists()
