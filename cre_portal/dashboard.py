"""What the home page shows each user: their own work, gathered from every app."""

from typing import Any

from cre_portal.accounts.models import User
from referrals.permissions.children import visible_children

HOME_LIST_SIZE = 10


def my_work(user: User) -> dict[str, Any]:
    """The user's own caseload and their team's, in two queries each at most."""
    children = visible_children(user)
    mine = children.filter(allocated_worker=user)
    team = children.filter(team_id=user.team_id) if user.team_id else children.none()
    return {
        "my_children": list(mine.order_by("-updated_at")[:HOME_LIST_SIZE]),
        "my_children_count": mine.count(),
        "team_children_count": team.count(),
        "can_see_children": user.has_perm("referrals.view_team_children")
        or user.has_perm("referrals.view_all_children"),
    }
