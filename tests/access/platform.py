"""Access rules for the platform pages and the child record. Written by hand, never computed."""

from tests.access.personas import (
    ADMINISTRATOR,
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

# --- Expectations: the intended rules, written out by hand ------------------------------------
# Reachable signed out, by anyone.
PUBLIC_URLS = frozenset(
    {
        "accounts:login",
        "healthz",
        # Meeting feedback: the child, parent or carer answers on a single-use link, with no
        # account (the token is the only key; see tests/access/feedback.py).
        "risk_assessment:feedback_respond",
        "risk_assessment:feedback_thanks",
    }
)

# Children: social worker and team manager see their team's children and those allocated to
# them; service manager, CP manager and missing-team officer see every child; nobody else.
SEES_TEAM_A_CHILD = frozenset(
    {SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER}
)
SEES_TEAM_B_CHILD = frozenset(
    {OTHER_TEAM_SOCIAL_WORKER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER}
)
ADDS_CHILDREN = frozenset(
    {
        SOCIAL_WORKER,
        TEAM_MANAGER,
        SERVICE_MANAGER,
        CP_MANAGER,
        MISSING_OFFICER,
        OTHER_TEAM_SOCIAL_WORKER,
    }
)

EXPECTATIONS: dict[str, Rule] = {
    # Any signed-in user, even before MFA: the MFA pages themselves (a verified user is sent
    # on to the next page) and signing out.
    "accounts:logout": Rule(SIGNED_IN, before_mfa=True, post_only=True),
    "accounts:mfa_setup": Rule(SIGNED_IN, before_mfa=True),
    "accounts:mfa_verify": Rule(SIGNED_IN, before_mfa=True),
    # Any signed-in user: home shows the user's own work; the list is filtered, not refused.
    "home": Rule(SIGNED_IN),
    "referrals:child_list": Rule(SIGNED_IN),
    "referrals:child_detail": Rule(SEES_TEAM_A_CHILD, SEES_TEAM_B_CHILD, obj="child"),
    # Adding a child: everyone who holds the add-child capability (social workers of either
    # team, the managers and the missing-team officer); not those without it.
    "referrals:child_create": Rule(ADDS_CHILDREN),
    # Editing a child: those who may add children, for the children they can see.
    "referrals:child_edit": Rule(SEES_TEAM_A_CHILD, SEES_TEAM_B_CHILD, obj="child"),
    # Asking for a reason before a restricted record opens: only those who could open it.
    "referrals:child_break_glass": Rule(SEES_TEAM_A_CHILD, SEES_TEAM_B_CHILD, obj="child"),
    # The read log: a team manager for their own team's children; service and CP managers and
    # the administrator (as data protection officer) for any child. Not social workers.
    "referrals:child_access_log": Rule(
        frozenset({TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER, ADMINISTRATOR}),
        frozenset({SERVICE_MANAGER, CP_MANAGER, ADMINISTRATOR}),
        obj="child",
    ),
}


def _children(users: dict) -> dict:
    social_worker = users[SOCIAL_WORKER]
    return {
        IN_SCOPE: ChildFactory(team=social_worker.team, allocated_worker=social_worker),
        OUT_OF_SCOPE: ChildFactory(team=users[OTHER_TEAM_SOCIAL_WORKER].team),
    }


OBJECT_KINDS = {"child": ObjectKind(build=_children, detail_url="referrals:child_detail")}
