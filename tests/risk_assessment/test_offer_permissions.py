"""Who sees and who plans a child's CRE Offer, for every role. Expectations written by hand."""

import pytest

from cre_portal.accounts.roles import Role
from risk_assessment.permissions.offer import can_plan_offer, visible_offer_items
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_offer import OfferItemFactory

pytestmark = pytest.mark.django_db

NO_ROLE = "no role"
OTHER_TEAM_SOCIAL_WORKER = "other team's social worker"

# persona: (sees an offer item about their team's child, may plan and track the Offer)
EXPECTED = {
    Role.SOCIAL_WORKER: (True, True),
    Role.TEAM_MANAGER: (True, True),
    Role.SERVICE_MANAGER: (True, True),
    Role.CP_MANAGER: (True, True),
    # Sees every child, but planning support is the social work team's job.
    Role.MISSING_OFFICER: (True, False),
    Role.TASKING_CHAIR: (False, False),
    Role.PARTNER_MEMBER: (False, False),
    Role.ANALYST: (False, False),
    Role.DIRECTOR: (False, False),
    Role.ADMINISTRATOR: (False, False),
    NO_ROLE: (False, False),
    OTHER_TEAM_SOCIAL_WORKER: (False, False),
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
def test_who_sees_and_plans_the_offer(persona, team, other_team):
    # given
    item = OfferItemFactory(assessment__child=ChildFactory(team=team))
    user = _user(persona, team, other_team)
    sees, plans = EXPECTED[persona]

    # when
    visible = visible_offer_items(user).filter(pk=item.pk).exists()
    may_plan = can_plan_offer(user, item.child)

    # then
    assert (visible, may_plan) == (sees, plans)


def test_a_social_worker_plans_the_offer_of_a_child_allocated_to_them_in_another_team(
    social_worker, other_team
):
    child = ChildFactory(team=other_team, allocated_worker=social_worker)
    item = OfferItemFactory(assessment__child=child)

    assert list(visible_offer_items(social_worker)) == [item]
    assert can_plan_offer(social_worker, child)


def test_an_inactive_user_sees_and_plans_nothing(social_worker):
    item = OfferItemFactory(assessment__child=ChildFactory(team=social_worker.team))
    social_worker.is_active = False

    assert not visible_offer_items(social_worker).exists()
    assert not can_plan_offer(social_worker, item.child)
