"""Access rules for the tasking groups pages.

See tests/test_access_matrix.py. Written by hand, never computed from the app's rules.
"""

from tests.access.personas import (
    ADMINISTRATOR,
    IN_SCOPE,
    OUT_OF_SCOPE,
    SIGNED_IN,
    ObjectKind,
    Rule,
)
from tests.tasking.factories import GroupMembershipFactory, TaskingGroupFactory

TASKING_CHAIR = "tasking_chair"
PARTNER_MEMBER = "partner_member"

# Setting groups up (details, chair, members, clearance): the tasking chair and the
# administrator, for any group.
MANAGES_GROUPS = frozenset({TASKING_CHAIR, ADMINISTRATOR})
# A group is seen by those who set groups up, its chair (the team-A tasking chair, who also
# sets groups up) and its current members (the partner agency member). The other group has
# none of the personas in it.
SEES_OWN_GROUP = frozenset({TASKING_CHAIR, ADMINISTRATOR, PARTNER_MEMBER})
SEES_OTHER_GROUP = MANAGES_GROUPS

EXPECTATIONS: dict[str, Rule] = {
    # The list shows the groups the user is in (possibly none): filtered, not refused.
    "tasking:group_list": Rule(SIGNED_IN),
    "tasking:group_create": Rule(MANAGES_GROUPS),
    "tasking:group_detail": Rule(SEES_OWN_GROUP, SEES_OTHER_GROUP, obj="tasking_group"),
    "tasking:group_edit": Rule(MANAGES_GROUPS, MANAGES_GROUPS, obj="tasking_group"),
    "tasking:group_member_add": Rule(MANAGES_GROUPS, MANAGES_GROUPS, obj="tasking_group"),
    # Tried on the partner's membership of the team-A chair's group, and on one in another group.
    "tasking:membership_end": Rule(MANAGES_GROUPS, MANAGES_GROUPS, obj="group_membership"),
    "tasking:membership_clearance": Rule(MANAGES_GROUPS, MANAGES_GROUPS, obj="group_membership"),
}


def _memberships(users: dict) -> dict:
    own = TaskingGroupFactory(chair=users[TASKING_CHAIR])
    return {
        IN_SCOPE: GroupMembershipFactory(group=own, user=users[PARTNER_MEMBER]),
        OUT_OF_SCOPE: GroupMembershipFactory(),
    }


def _groups(users: dict) -> dict:
    return {scope: membership.group for scope, membership in _memberships(users).items()}


OBJECT_KINDS = {
    "tasking_group": ObjectKind(build=_groups, detail_url="tasking:group_detail"),
    "group_membership": ObjectKind(build=_memberships, detail_url="tasking:group_detail"),
}
