"""Access rules for the CRE Offer pages.

See tests/test_access_matrix.py. Written by hand, never computed from the app's rules.
"""

from tests.access.personas import (
    CP_MANAGER,
    IN_SCOPE,
    MISSING_OFFICER,
    OTHER_TEAM_SOCIAL_WORKER,
    OUT_OF_SCOPE,
    SERVICE_MANAGER,
    SOCIAL_WORKER,
    TEAM_MANAGER,
    ObjectKind,
    Rule,
)
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_offer import OfferItemFactory

# A child's Offer is seen by whoever sees the child: social worker and team manager for their
# team's children (and those allocated to them); service manager, CP manager and missing-team
# officer for every child.
SEES_TEAM_A_OFFER = frozenset(
    {SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER}
)
SEES_TEAM_B_OFFER = frozenset(
    {OTHER_TEAM_SOCIAL_WORKER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER}
)
# Planning and tracking it: those who complete assessments (social workers and the three
# managers), for children they see. The missing-team officer sees the Offer but may not change
# it (403, not 404).
PLANS_TEAM_A_OFFER = frozenset({SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER})
PLANS_TEAM_B_OFFER = frozenset({OTHER_TEAM_SOCIAL_WORKER, SERVICE_MANAGER, CP_MANAGER})

# The item in the matrix is proposed: a step that is not open now redirects to the item, which
# is still a success for the matrix.
TRACKING = Rule(PLANS_TEAM_A_OFFER, PLANS_TEAM_B_OFFER, obj="offer_item")

EXPECTATIONS: dict[str, Rule] = {
    "risk_assessment:child_offer": Rule(SEES_TEAM_A_OFFER, SEES_TEAM_B_OFFER, obj="child"),
    "risk_assessment:offer_item_add": Rule(PLANS_TEAM_A_OFFER, PLANS_TEAM_B_OFFER, obj="child"),
    "risk_assessment:offer_item_detail": Rule(
        SEES_TEAM_A_OFFER, SEES_TEAM_B_OFFER, obj="offer_item"
    ),
    "risk_assessment:offer_item_offer": TRACKING,
    "risk_assessment:offer_item_not_offered": TRACKING,
    "risk_assessment:offer_item_accept": TRACKING,
    "risk_assessment:offer_item_decline": TRACKING,
    "risk_assessment:offer_item_start": TRACKING,
    "risk_assessment:offer_item_end": TRACKING,
}


def _offer_items(users: dict) -> dict:
    social_worker = users[SOCIAL_WORKER]
    child_a = ChildFactory(team=social_worker.team, allocated_worker=social_worker)
    child_b = ChildFactory(team=users[OTHER_TEAM_SOCIAL_WORKER].team)
    return {
        IN_SCOPE: OfferItemFactory(assessment__child=child_a),
        OUT_OF_SCOPE: OfferItemFactory(assessment__child=child_b),
    }


OBJECT_KINDS: dict[str, ObjectKind] = {
    "offer_item": ObjectKind(build=_offer_items, detail_url="risk_assessment:offer_item_detail"),
}
