"""Who sees feedback, who asks for it and who reads the summary, for every role. By hand."""

import pytest

from cre_portal.accounts.roles import Role
from risk_assessment.permissions.feedback import (
    can_request_feedback,
    can_view_feedback_summary,
    feedback_links_for_token,
    visible_feedback_links,
)
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_feedback import (
    AnsweredFeedbackLinkFactory,
    ExpiredFeedbackLinkFactory,
    link_with_token,
)

pytestmark = pytest.mark.django_db

NO_ROLE = "no role"
OTHER_TEAM_SOCIAL_WORKER = "other team's social worker"

# persona: (sees feedback about their team's child, may ask for feedback, reads the summary)
EXPECTED = {
    Role.SOCIAL_WORKER: (True, True, False),
    Role.TEAM_MANAGER: (True, True, True),
    Role.SERVICE_MANAGER: (True, True, True),
    Role.CP_MANAGER: (True, True, True),
    # Sees every child, but meetings and their feedback are not the missing team's work.
    Role.MISSING_OFFICER: (True, False, False),
    Role.TASKING_CHAIR: (False, False, False),
    Role.PARTNER_MEMBER: (False, False, False),
    Role.ANALYST: (False, False, False),
    Role.DIRECTOR: (False, False, False),
    Role.ADMINISTRATOR: (False, False, False),
    NO_ROLE: (False, False, False),
    OTHER_TEAM_SOCIAL_WORKER: (False, False, False),
}


def test_every_role_has_an_expectation():
    assert set(Role) <= EXPECTED.keys()


def _user(persona, team, other_team):
    if persona == NO_ROLE:
        return UserFactory(team=team)
    if persona == OTHER_TEAM_SOCIAL_WORKER:
        return UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])
    return UserFactory(team=team, roles=[persona])


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_who_sees_asks_for_and_sums_up_feedback(persona, team, other_team):
    # given
    link = AnsweredFeedbackLinkFactory(child=ChildFactory(team=team))
    user = _user(persona, team, other_team)

    # when
    sees = visible_feedback_links(user).filter(pk=link.pk).exists()
    asks = can_request_feedback(user, link.child)
    sums_up = can_view_feedback_summary(user)

    # then
    assert (sees, asks, sums_up) == EXPECTED[persona]


def test_a_worker_sees_feedback_about_a_child_allocated_to_them_in_another_team(
    social_worker, other_team
):
    link = AnsweredFeedbackLinkFactory(
        child=ChildFactory(team=other_team, allocated_worker=social_worker)
    )

    assert list(visible_feedback_links(social_worker)) == [link]
    assert can_request_feedback(social_worker, link.child)


def test_an_inactive_manager_sees_nothing(team_manager):
    link = AnsweredFeedbackLinkFactory(child=ChildFactory(team=team_manager.team))
    team_manager.is_active = False

    assert not visible_feedback_links(team_manager).exists()
    assert not can_request_feedback(team_manager, link.child)
    assert not can_view_feedback_summary(team_manager)


# --- The token: the only right of the family member who answers ------------------------------
def test_a_token_finds_its_own_link_whatever_its_state():
    waiting, waiting_token = link_with_token()
    expired, expired_token = link_with_token(ExpiredFeedbackLinkFactory)

    assert list(feedback_links_for_token(waiting_token)) == [waiting]
    assert list(feedback_links_for_token(expired_token)) == [expired]


def test_a_malformed_token_is_refused_without_a_query(django_assert_num_queries):
    link_with_token()

    with django_assert_num_queries(0):
        assert list(feedback_links_for_token("not a token")) == []
