"""Access rules for the meeting feedback pages.

See tests/test_access_matrix.py. Written by hand, never computed from the app's rules.
The public form and its thank-you page are in PUBLIC_URLS (tests/access/platform.py): the
family member who answers has no account. The form's URL carries a token, so the matrix needs
one that opens a link: PUBLIC_URL_KWARGS below makes it.
"""

from tests.access.personas import (
    CP_MANAGER,
    MISSING_OFFICER,
    OTHER_TEAM_SOCIAL_WORKER,
    SERVICE_MANAGER,
    SOCIAL_WORKER,
    TEAM_MANAGER,
    ObjectKind,
    Rule,
)
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_feedback import link_with_token

# Feedback is part of the child's record: seen by whoever sees the child. Social worker and team
# manager for their team's children (and those allocated to them); service manager, CP manager
# and missing-team officer for every child.
SEES_TEAM_A_CHILD = frozenset(
    {SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER}
)
SEES_TEAM_B_CHILD = frozenset(
    {OTHER_TEAM_SOCIAL_WORKER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER}
)
# Asking for feedback goes with booking meetings: social workers and the three managers, for the
# children they see. The missing-team officer sees the child but may not (403, not 404).
ASKS_TEAM_A = frozenset({SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER})
ASKS_TEAM_B = frozenset({OTHER_TEAM_SOCIAL_WORKER, SERVICE_MANAGER, CP_MANAGER})
# The summary across children: team, service and child-protection managers (what they count is
# narrowed to the children they see, but the page itself is theirs only).
MANAGERS = frozenset({TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER})

EXPECTATIONS: dict[str, Rule] = {
    "risk_assessment:child_feedback": Rule(SEES_TEAM_A_CHILD, SEES_TEAM_B_CHILD, obj="child"),
    # A POST without answers re-shows the form with its errors: a success for the matrix.
    "risk_assessment:feedback_link_create": Rule(ASKS_TEAM_A, ASKS_TEAM_B, obj="child"),
    "risk_assessment:feedback_summary": Rule(MANAGERS),
}

OBJECT_KINDS: dict[str, ObjectKind] = {}


def _open_link() -> dict:
    """A token that opens an unanswered link (a POST without answers leaves it open)."""
    _link, token = link_with_token(child=ChildFactory())
    return {"token": token}


# Public URLs that take arguments: name -> a function making them.
PUBLIC_URL_KWARGS = {"risk_assessment:feedback_respond": _open_link}
