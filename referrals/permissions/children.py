"""Who may see which child. The only home of these rules."""

from django.db.models import Q

from cre_portal.accounts.models import User
from referrals.models import Child, ChildQuerySet


def visible_children(user: User) -> ChildQuerySet:
    """The children whose records the user may open."""
    if not user.is_authenticated or not user.is_active:
        return Child.objects.none()
    if user.has_perm("referrals.view_all_children"):
        return Child.objects.all()
    if not user.has_perm("referrals.view_team_children"):
        return Child.objects.none()
    if user.team_id is None:
        return Child.objects.filter(allocated_worker=user)
    return Child.objects.filter(Q(allocated_worker=user) | Q(team_id=user.team_id))


def children_with_visible_access_log(user: User) -> ChildQuerySet:
    """Children whose access log the user may read: a DPO any child, a manager their own."""
    if not user.is_authenticated or not user.is_active:
        return Child.objects.none()
    if user.has_perm("audit.view_any_access_log"):
        return Child.objects.all()
    if not user.has_perm("referrals.view_child_access_log"):
        return Child.objects.none()
    return visible_children(user)


def can_view_child_access_log(user: User, child: Child) -> bool:
    return children_with_visible_access_log(user).filter(pk=child.pk).exists()
