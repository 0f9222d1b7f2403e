"""Who sees and who records NRM referrals, for every role. Expectations written by hand."""

import pytest

from cre_portal.accounts.roles import Role
from referrals.permissions.nrm import can_record_nrm, visible_nrm_referrals
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_nrm import ReferredNrmReferralFactory

pytestmark = pytest.mark.django_db

NO_ROLE = "no role"
OTHER_TEAM_SOCIAL_WORKER = "other team's social worker"

# persona: (sees an NRM referral about their team's child, may record its steps)
EXPECTED = {
    Role.SOCIAL_WORKER: (True, True),
    Role.TEAM_MANAGER: (True, True),
    Role.SERVICE_MANAGER: (True, True),
    Role.CP_MANAGER: (True, True),
    # Sees every child, but recording NRM steps is not the missing team's work.
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
def test_who_sees_and_records_an_nrm_referral(persona, team, other_team):
    # given
    nrm = ReferredNrmReferralFactory(child=ChildFactory(team=team))
    user = _user(persona, team, other_team)
    sees, records = EXPECTED[persona]

    # when
    visible = visible_nrm_referrals(user).filter(pk=nrm.pk).exists()
    may_record = can_record_nrm(user, nrm.child)

    # then
    assert (visible, may_record) == (sees, records)


def test_a_social_worker_sees_the_referrals_of_a_child_allocated_to_them_in_another_team(
    social_worker, other_team
):
    nrm = ReferredNrmReferralFactory(
        child=ChildFactory(team=other_team, allocated_worker=social_worker)
    )

    assert list(visible_nrm_referrals(social_worker)) == [nrm]
    assert can_record_nrm(social_worker, nrm.child)


def test_an_inactive_user_sees_nothing(social_worker):
    nrm = ReferredNrmReferralFactory(child=ChildFactory(team=social_worker.team))
    social_worker.is_active = False

    assert not visible_nrm_referrals(social_worker).exists()
    assert not can_record_nrm(social_worker, nrm.child)
