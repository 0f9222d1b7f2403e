"""Access rules for the nrm pages.

See tests/test_access_matrix.py. Written by hand, never computed from the app's rules.
"""

from tests.access.personas import (
    CP_MANAGER,
    IN_SCOPE,
    MISSING_OFFICER,
    OTHER_TEAM_SOCIAL_WORKER,
    OUT_OF_SCOPE,
    SERVICE_MANAGER,
    SIGNED_IN,
    SOCIAL_WORKER,
    TEAM_MANAGER,
    ObjectKind,
    Rule,
)
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_nrm import ReferredNrmReferralFactory

# An NRM referral is seen by whoever sees its child: social worker and team manager for their
# team's children (and those allocated to them); service manager, CP manager and missing-team
# officer for every child.
SEES_TEAM_A_NRM = frozenset(
    {SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER}
)
SEES_TEAM_B_NRM = frozenset(
    {OTHER_TEAM_SOCIAL_WORKER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER}
)
# Recording NRM steps: social workers and the three managers, for children they see. The
# missing-team officer sees the child but may not record NRM steps (403, not 404).
RECORDS_TEAM_A_NRM = frozenset({SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER})
RECORDS_TEAM_B_NRM = frozenset({OTHER_TEAM_SOCIAL_WORKER, SERVICE_MANAGER, CP_MANAGER})

RECORDING = Rule(RECORDS_TEAM_A_NRM, RECORDS_TEAM_B_NRM, obj="nrm_referral")

EXPECTATIONS: dict[str, Rule] = {
    # The list is filtered to the children the user sees, not refused.
    "referrals:nrm_list": Rule(SIGNED_IN),
    "referrals:child_nrm": Rule(SEES_TEAM_A_NRM, SEES_TEAM_B_NRM, obj="child"),
    "referrals:nrm_create": Rule(RECORDS_TEAM_A_NRM, RECORDS_TEAM_B_NRM, obj="child"),
    "referrals:nrm_detail": Rule(SEES_TEAM_A_NRM, SEES_TEAM_B_NRM, obj="nrm_referral"),
    # A step that is not open now redirects to the referral: still a success for the matrix.
    "referrals:nrm_refer": RECORDING,
    "referrals:nrm_reasonable_grounds": RECORDING,
    "referrals:nrm_conclusive_grounds": RECORDING,
    "referrals:nrm_reconsideration": RECORDING,
    "referrals:nrm_withdraw": RECORDING,
}


def _nrm_referrals(users: dict) -> dict:
    social_worker = users[SOCIAL_WORKER]
    child_a = ChildFactory(team=social_worker.team, allocated_worker=social_worker)
    child_b = ChildFactory(team=users[OTHER_TEAM_SOCIAL_WORKER].team)
    return {
        IN_SCOPE: ReferredNrmReferralFactory(child=child_a),
        OUT_OF_SCOPE: ReferredNrmReferralFactory(child=child_b),
    }


OBJECT_KINDS: dict[str, ObjectKind] = {
    "nrm_referral": ObjectKind(build=_nrm_referrals, detail_url="referrals:nrm_detail"),
}
