"""Who may see and change tasking actions. The only home of these rules.

`visible_actions(user)` is the ONE scope every list, count, detail page, document and export of
actions goes through, and it holds the covert condition, written once:

- An IMMEDIATE action is seen by whoever sees its group's meetings (its owner is always one of
  them: owners are chosen from the chair and current members, so leaving ends their sight too),
  and by those who see the meetings of a group it was escalated to.
- A COVERT action is sealed: only the group's chair and the group's CURRENT members with covert
  clearance know it exists. Nothing else opens it: not the administrator or `manage_tasking_groups`
  (no clearance), not a superuser (capabilities are not consulted), not a former member, not an
  owner who has lost clearance. Covert actions are never registered in Django admin, never go on
  agendas, agenda documents or the child's chronology, and cannot be escalated.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from cre_portal.accounts.models import User
from tasking.models import (
    Action,
    ActionQuerySet,
    Escalation,
    GroupMembership,
    TaskingGroup,
    TaskingMeeting,
)
from tasking.permissions.meetings import can_chair_meeting, is_group_chair, meeting_groups

Nature = Action.Nature


def covert_cleared_groups(user: User) -> QuerySet[TaskingGroup]:
    """THE covert condition: the groups the user chairs or is a current member of with covert
    clearance. Capabilities are deliberately not consulted, so no role (nor a superuser) passes."""
    if not user.is_authenticated or not user.is_active:
        return TaskingGroup.objects.none()
    cleared = GroupMembership.objects.current().filter(user=user, has_covert_clearance=True)
    return TaskingGroup.objects.filter(Q(chair=user) | Q(pk__in=cleared.values("group")))


def visible_actions(user: User) -> ActionQuerySet:
    """The actions the user may know exist; covert ones only when cleared for their group."""
    if not user.is_authenticated or not user.is_active:
        return Action.objects.none()
    groups = meeting_groups(user).values("pk")
    escalated = Escalation.objects.filter(action=OuterRef("pk"), to_group__in=groups)
    immediate = Q(group__in=groups) | Q(Exists(escalated))
    covert = Q(group__in=covert_cleared_groups(user).values("pk"))
    scope = (Q(nature=Nature.IMMEDIATE) & immediate) | (Q(nature=Nature.COVERT) & covert)
    actions = Action.objects.filter(scope)
    return actions.select_related("group", "meeting", "child", "subject", "owner")


def can_create_action(user: User, meeting: TaskingMeeting) -> bool:
    """Actions are agreed at a meeting: its group's chair records them."""
    return can_chair_meeting(user, meeting)


def can_update_action(user: User, action: Action) -> bool:
    """Status and outcome: the group's chair, or the action's owner while they may still see it."""
    if is_group_chair(user, action.group):
        return True
    if action.owner_id is None or action.owner_id != user.pk:
        return False
    return visible_actions(user).filter(pk=action.pk).exists()


def may_own_covert_action(user: User, group: TaskingGroup) -> bool:
    """A covert action's owner must be able to see it: the chair or a cleared current member."""
    return covert_cleared_groups(user).filter(pk=group.pk).exists()
