"""Who sees, completes and approves assessments, and who keeps the template: every role, by hand."""

import pytest

from cre_portal.accounts.roles import Role
from risk_assessment.permissions.assessments import (
    can_approve_assessment,
    can_complete_assessment,
    can_manage_templates,
    can_view_templates,
    visible_assessments,
    visible_templates,
)
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_assessments import SubmittedAssessmentFactory

pytestmark = pytest.mark.django_db

NO_ROLE = "no role"
OTHER_TEAM_SOCIAL_WORKER = "other team's social worker"

# persona: (sees an assessment of their team's child, completes it, approves it)
EXPECTED = {
    Role.SOCIAL_WORKER: (True, True, False),
    Role.TEAM_MANAGER: (True, True, True),
    Role.SERVICE_MANAGER: (True, True, True),
    Role.CP_MANAGER: (True, True, True),
    # Sees every child but assessing is not the missing team's work.
    Role.MISSING_OFFICER: (True, False, False),
    Role.TASKING_CHAIR: (False, False, False),
    Role.PARTNER_MEMBER: (False, False, False),
    Role.ANALYST: (False, False, False),
    Role.DIRECTOR: (False, False, False),
    Role.ADMINISTRATOR: (False, False, False),
    NO_ROLE: (False, False, False),
    OTHER_TEAM_SOCIAL_WORKER: (False, False, False),
}

# persona: (reads the template's versions, drafts and publishes them)
TEMPLATES = {
    Role.SOCIAL_WORKER: (True, False),
    Role.TEAM_MANAGER: (True, False),
    Role.SERVICE_MANAGER: (True, False),
    Role.CP_MANAGER: (True, False),
    Role.MISSING_OFFICER: (False, False),
    Role.TASKING_CHAIR: (False, False),
    Role.PARTNER_MEMBER: (False, False),
    Role.ANALYST: (False, False),
    Role.DIRECTOR: (False, False),
    Role.ADMINISTRATOR: (True, True),
    NO_ROLE: (False, False),
    OTHER_TEAM_SOCIAL_WORKER: (True, False),
}


def test_every_role_has_an_expectation():
    assert set(Role) <= EXPECTED.keys()
    assert set(Role) <= TEMPLATES.keys()


def _user(persona, team, other_team):
    if persona == NO_ROLE:
        return UserFactory(team=team)
    if persona == OTHER_TEAM_SOCIAL_WORKER:
        return UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])
    return UserFactory(team=team, roles=[persona])


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_who_sees_completes_and_approves_an_assessment(persona, team, other_team):
    # given: written by someone else in the team
    assessment = SubmittedAssessmentFactory(child=ChildFactory(team=team))
    user = _user(persona, team, other_team)

    # when
    sees = visible_assessments(user).filter(pk=assessment.pk).exists()
    completes = can_complete_assessment(user, assessment.child)
    approves = can_approve_assessment(user, assessment)

    # then
    assert (sees, completes, approves) == EXPECTED[persona]


@pytest.mark.parametrize("persona", list(TEMPLATES))
def test_who_reads_and_keeps_the_template(persona, team, other_team):
    user = _user(persona, team, other_team)

    reads, manages = can_view_templates(user), can_manage_templates(user)

    assert (reads, manages) == TEMPLATES[persona]
    assert visible_templates(user).exists() is reads


def test_a_social_worker_sees_assessments_of_a_child_allocated_to_them_in_another_team(
    social_worker, other_team
):
    child = ChildFactory(team=other_team, allocated_worker=social_worker)
    assessment = SubmittedAssessmentFactory(child=child)

    assert list(visible_assessments(social_worker)) == [assessment]
    assert can_complete_assessment(social_worker, child)


def test_the_author_cannot_approve(team_manager):
    assessment = SubmittedAssessmentFactory(
        child=ChildFactory(team=team_manager.team), created_by=team_manager
    )

    assert not can_approve_assessment(team_manager, assessment)


def test_an_inactive_user_can_do_nothing(team_manager, admin_user):
    assessment = SubmittedAssessmentFactory(child=ChildFactory(team=team_manager.team))
    team_manager.is_active = False
    admin_user.is_active = False

    assert not visible_assessments(team_manager).exists()
    assert not can_approve_assessment(team_manager, assessment)
    assert not can_view_templates(admin_user)
    assert not can_manage_templates(admin_user)
