"""Who may see and set up tasking groups and their members. The only home of these rules."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from cre_portal.accounts.models import User
from cre_portal.accounts.roles import Role
from tasking.models import GroupMembership, TaskingGroup

MANAGE_GROUPS = "tasking.manage_tasking_groups"


def group_audience(group: TaskingGroup) -> str:
    """The audience children are shared with when they are on the group's published agendas."""
    return f"tasking:{group.pk}"


def visible_groups(user: User) -> QuerySet[TaskingGroup]:
    """The groups the user may open: those they belong to now or chair; every group for those
    who set groups up."""
    if not user.is_authenticated or not user.is_active:
        return TaskingGroup.objects.none()
    if user.has_perm(MANAGE_GROUPS):
        return TaskingGroup.objects.all()
    current_member = Exists(
        GroupMembership.objects.current().filter(group=OuterRef("pk"), user=user)
    )
    return TaskingGroup.objects.filter(Q(chair=user) | Q(current_member))


def can_manage_tasking_groups(user: User) -> bool:
    """Set up groups (tier, chair, cadence, escalation) and their members."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(MANAGE_GROUPS)


def can_see_clearances(user: User, group: TaskingGroup) -> bool:
    """Who holds covert clearance is for the group's chair and those who set groups up."""
    return group.chair_id == user.pk or can_manage_tasking_groups(user)


def is_current_member(user: User, group: TaskingGroup) -> bool:
    """A member who has not left (the chair need not be a member)."""
    return group.memberships.current().filter(user=user).exists()


def chair_candidates() -> QuerySet[User]:
    """Active users holding the tasking chair role: only they may chair a group."""
    return User.objects.filter(is_active=True, groups__name=Role.TASKING_CHAIR).distinct()


def is_chair_candidate(user: User) -> bool:
    return chair_candidates().filter(pk=user.pk).exists()


def member_candidates(group: TaskingGroup) -> QuerySet[User]:
    """Active users holding a role, from any agency, who are not current members of the group."""
    current = group.memberships.current().values("user")
    with_a_role = User.objects.filter(groups__isnull=False).values("pk")
    return (
        User.objects.filter(is_active=True, pk__in=with_a_role)
        .exclude(pk__in=current)
        .select_related("team")
        .order_by("full_name", "email")
    )
