"""Access rules for the missing-episode, return home interview and Philomena pages.

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
from tests.referrals.factories import LookedAfterChildFactory
from tests.referrals.factories_missing import PositiveReturnInterviewFactory

# Whoever can open the child sees its missing episodes, interviews and Philomena profile: the
# team-A social worker and team manager for a team-A child; service and CP managers and the
# missing-team officer for any child; the team-B social worker for a team-B child.
SEES_TEAM_A = frozenset({SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER})
SEES_TEAM_B = frozenset({OTHER_TEAM_SOCIAL_WORKER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER})

# Recording episodes, returns and interviews, keeping the Philomena profile and starting a CRE
# referral from a positive screen: every role that holds cases (social workers, the three
# managers, the missing team) on the children they can see. Nobody else sees the child at all.
RECORDS_TEAM_A = SEES_TEAM_A
RECORDS_TEAM_B = SEES_TEAM_B

EXPECTATIONS: dict[str, Rule] = {
    # The missing-team view lists only the children the user can see; it is filtered, not refused.
    "referrals:missing_dashboard": Rule(SIGNED_IN),
    "referrals:child_missing": Rule(SEES_TEAM_A, SEES_TEAM_B, obj="child"),
    "referrals:missing_episode_create": Rule(RECORDS_TEAM_A, RECORDS_TEAM_B, obj="child"),
    # Tried on a returned episode whose completed interview screened positive.
    "referrals:missing_episode_detail": Rule(SEES_TEAM_A, SEES_TEAM_B, obj="missing_episode"),
    "referrals:missing_episode_return": Rule(RECORDS_TEAM_A, RECORDS_TEAM_B, obj="missing_episode"),
    "referrals:missing_interview": Rule(RECORDS_TEAM_A, RECORDS_TEAM_B, obj="missing_episode"),
    "referrals:missing_referral_start": Rule(RECORDS_TEAM_A, RECORDS_TEAM_B, obj="missing_episode"),
    # The Philomena pages, tried on looked-after children (the only ones with a profile).
    "referrals:philomena_detail": Rule(SEES_TEAM_A, SEES_TEAM_B, obj="looked_after_child"),
    "referrals:philomena_print": Rule(SEES_TEAM_A, SEES_TEAM_B, obj="looked_after_child"),
    "referrals:philomena_edit": Rule(RECORDS_TEAM_A, RECORDS_TEAM_B, obj="looked_after_child"),
}


def _looked_after_children(users: dict) -> dict:
    social_worker = users[SOCIAL_WORKER]
    return {
        IN_SCOPE: LookedAfterChildFactory(team=social_worker.team, allocated_worker=social_worker),
        OUT_OF_SCOPE: LookedAfterChildFactory(team=users[OTHER_TEAM_SOCIAL_WORKER].team),
    }


def _episodes(users: dict) -> dict:
    children = _looked_after_children(users)
    return {
        scope: PositiveReturnInterviewFactory(episode__child=child).episode
        for scope, child in children.items()
    }


OBJECT_KINDS = {
    "looked_after_child": ObjectKind(
        build=_looked_after_children, detail_url="referrals:child_detail"
    ),
    "missing_episode": ObjectKind(build=_episodes, detail_url="referrals:missing_episode_detail"),
}
