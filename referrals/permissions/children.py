"""Who may see which child. The only home of these rules."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from cre_portal.accounts.models import Agency, AudienceMembership, Team, User
from cre_portal.accounts.roles import MANAGER_ROLES
from referrals.models import Child, ChildQuerySet, ChildShare


def visible_children(user: User) -> ChildQuerySet:
    """The children whose records the user may open."""
    if not user.is_authenticated or not user.is_active:
        return Child.objects.none()
    if user.has_perm("referrals.view_all_children"):
        return Child.objects.all()
    scope = Q(pk__in=[])
    if user.has_perm("referrals.view_team_children"):
        scope |= Q(allocated_worker=user)
        if user.team_id is not None:
            scope |= Q(team_id=user.team_id)
    if user.has_perm("referrals.view_shared_children"):
        scope |= _shared_with(user)
    return Child.objects.filter(scope)


def _shared_with(user: User) -> Q:
    """Children shared with an audience the user belongs to (e.g. their tasking groups)."""
    audiences = AudienceMembership.objects.filter(user=user).values("audience")
    return Q(Exists(ChildShare.objects.filter(child=OuterRef("pk"), audience__in=audiences)))


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


# --- Adding and editing children ----------------------------------------------------------------
# Restricting a record and moving a child between teams are managers' decisions.


def is_case_manager(user: User) -> bool:
    """Team, service and child-protection managers."""
    if not user.is_authenticated:
        return False
    return any(user.has_role(role) for role in MANAGER_ROLES)


def can_add_child(user: User) -> bool:
    """Whether the user may add children's records (and edit those they can see)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm("referrals.add_child_record")


def can_edit_child(user: User, child: Child) -> bool:
    """Those who may add children may edit the records they can see."""
    if not can_add_child(user):
        return False
    return visible_children(user).filter(pk=child.pk).exists()


def _can_manage(user: User, child: Child | None) -> bool:
    if not is_case_manager(user):
        return False
    if child is None:
        return can_add_child(user)
    return can_edit_child(user, child)


def can_restrict_child(user: User, child: Child | None) -> bool:
    """Only managers set or clear the restricted flag (child None: on a new record)."""
    return _can_manage(user, child)


def can_change_child_team(user: User, child: Child | None) -> bool:
    """Only managers allocate a child to another team (child None: a new record in any team)."""
    return _can_manage(user, child)


def allocatable_teams(user: User) -> QuerySet[Team]:
    """Teams a user may allocate children to: a manager any social-care team, others their own."""
    teams = Team.objects.filter(agency=Agency.CHILDRENS_SOCIAL_CARE)
    if is_case_manager(user):
        return teams
    if user.team_id is None:
        return teams.none()
    return teams.filter(pk=user.team_id)


def allocatable_workers(user: User, team: Team | None) -> QuerySet[User]:
    """Workers a user may allocate: a manager anyone active in a social-care team, others only
    active members of the child's team."""
    workers = User.objects.filter(is_active=True).select_related("team")
    if is_case_manager(user):
        return workers.filter(team__agency=Agency.CHILDRENS_SOCIAL_CARE)
    if team is None:
        return workers.none()
    return workers.filter(team=team)
