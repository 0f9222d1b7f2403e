"""Who may see and run tasking meetings, agendas and escalations. The only home of these rules.

- A group's meetings are seen by its current members, its chair, and holders of
  `manage_tasking_groups` (who set groups up and may plan meetings for them).
- A draft agenda (meeting still PLANNED) is seen only by the group's chair, who builds it; once
  published, everyone who sees the meeting sees the agenda.
- The group's chair runs its meetings: agenda, publishing, attendance, minutes, holding the
  meeting, actions and escalations. Being a group's `chair` counts only together with the
  `chair_tasking` capability.
- An escalation is seen by those who see the raising group's meetings (the outcome flows back
  to them) and those who see the receiving group's; only the receiving group's chair decides it.
"""

from django.db.models import Q, QuerySet

from cre_portal.accounts.models import User
from tasking.models import AgendaItem, Escalation, TaskingGroup, TaskingMeeting
from tasking.permissions.groups import can_manage_tasking_groups, visible_groups

CHAIR_TASKING = "tasking.chair_tasking"
Status = TaskingMeeting.Status


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def meeting_groups(user: User) -> QuerySet[TaskingGroup]:
    """The groups whose meetings (and published agendas) the user sees: the groups they see."""
    return visible_groups(user)


def visible_meetings(user: User) -> QuerySet[TaskingMeeting]:
    """Meetings of the groups the user sees, with the group and its chair loaded."""
    groups = meeting_groups(user).values("pk")
    meetings = TaskingMeeting.objects.filter(group__in=groups)
    return meetings.select_related("group", "group__chair", "group__escalates_to")


def is_group_chair(user: User, group: TaskingGroup) -> bool:
    """The group's own chair, holding the capability to chair tasking meetings."""
    if not _active(user):
        return False
    if group.chair_id != user.pk:
        return False
    return user.has_perm(CHAIR_TASKING)


def chaired_groups(user: User) -> QuerySet[TaskingGroup]:
    """The groups the user chairs (none without the capability)."""
    if not _active(user) or not user.has_perm(CHAIR_TASKING):
        return TaskingGroup.objects.none()
    return TaskingGroup.objects.filter(chair=user)


def can_plan_meeting(user: User, group: TaskingGroup) -> bool:
    """Planning a meeting of an active group: its chair, or those who manage tasking groups."""
    if not group.is_active:
        return False
    if is_group_chair(user, group):
        return True
    return can_manage_tasking_groups(user)


def can_chair_meeting(user: User, meeting: TaskingMeeting) -> bool:
    """Building and publishing the agenda, attendance, minutes, holding it, actions."""
    return is_group_chair(user, meeting.group)


def can_see_agenda(user: User, meeting: TaskingMeeting) -> bool:
    """A draft agenda is the chair's working copy; a published one is the members'."""
    if meeting.status != Status.PLANNED:
        return True
    return can_chair_meeting(user, meeting)


def visible_agenda_items(user: User) -> QuerySet[AgendaItem]:
    """Items of published (or held) agendas the user sees, and of drafts they chair."""
    meetings = visible_meetings(user)
    published = Q(meeting__in=meetings.exclude(status=Status.PLANNED).values("pk"))
    drafts = Q(meeting__in=meetings.filter(group__in=chaired_groups(user)).values("pk"))
    items = AgendaItem.objects.filter(published | drafts)
    return items.select_related("meeting", "meeting__group", "child", "subject", "escalation")


def visible_escalations(user: User) -> QuerySet[Escalation]:
    """Escalations raised by or to a group whose meetings the user sees."""
    groups = meeting_groups(user).values("pk")
    escalations = Escalation.objects.filter(Q(from_group__in=groups) | Q(to_group__in=groups))
    return escalations.select_related(
        "from_group", "to_group", "child", "subject", "action", "raised_by", "decided_by"
    )


def can_raise_escalation(user: User, meeting: TaskingMeeting) -> bool:
    """The chair escalates from their group's meeting to the group one tier up."""
    if meeting.group.escalates_to_id is None:
        return False
    return can_chair_meeting(user, meeting)


def can_decide_escalation(user: User, escalation: Escalation) -> bool:
    """The receiving group's chair records the decision, once."""
    if escalation.status == Escalation.Status.DECIDED:
        return False
    return is_group_chair(user, escalation.to_group)
