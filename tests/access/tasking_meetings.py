"""Access rules for the tasking meetings, agendas, actions and escalations pages.

See tests/test_access_matrix.py. Written by hand, never computed from the app's rules.

The in-scope objects belong to an operational group chaired by the tasking-chair persona, with
the partner persona as a current member WITHOUT covert clearance; it escalates to a strategic
group the same persona chairs. Agenda items and actions are about a team-A child allocated to
the team-A social worker. The out-of-scope objects belong to groups chaired by someone else,
with no persona as a member, about a team-B child.
"""

from cre_portal.accounts.roles import Role
from tests.access.personas import (
    ADMINISTRATOR,
    IN_SCOPE,
    NOBODY,
    OTHER_TEAM_SOCIAL_WORKER,
    OUT_OF_SCOPE,
    SIGNED_IN,
    SOCIAL_WORKER,
    ObjectKind,
    Rule,
)
from tests.referrals.factories import ChildFactory
from tests.tasking.factories import (
    GroupMembershipFactory,
    StrategicGroupFactory,
    TaskingGroupFactory,
)
from tests.tasking.factories_meetings import (
    CovertActionFactory,
    EscalationFactory,
    PublishedMeetingFactory,
    put_on_agenda,
)

TASKING_CHAIR = Role.TASKING_CHAIR.value
PARTNER_MEMBER = Role.PARTNER_MEMBER.value

# A group's meetings (and published agendas) are seen by its chair, its current members and
# those who set groups up (`manage_tasking_groups`: the tasking chair role and the
# administrator), whichever group it is. Case workers who are not members see nothing.
SEES_GROUP = frozenset({TASKING_CHAIR, PARTNER_MEMBER, ADMINISTRATOR})
SEES_OTHER_GROUP = frozenset({TASKING_CHAIR, ADMINISTRATOR})
# Planning or moving a meeting: the group's chair or those who set groups up. A member may see
# but not plan (403).
PLANS = frozenset({TASKING_CHAIR, ADMINISTRATOR})
# Running the meeting (agenda, publishing, attendance, minutes, holding, actions, escalating):
# only the group's own chair. The tasking-chair persona chairs the in-scope group only.
CHAIRS = frozenset({TASKING_CHAIR})

SEEING_GROUP = Rule(SEES_GROUP, SEES_OTHER_GROUP, obj="meetings_group")
SEEING_MEETING = Rule(SEES_GROUP, SEES_OTHER_GROUP, obj="tasking_meeting")
# Tried on a published meeting: the steps for drafts (draft, add, publish) redirect to the
# meeting with a note, which the matrix counts as a success for the chair.
CHAIRING = Rule(CHAIRS, NOBODY, obj="tasking_meeting")

EXPECTATIONS: dict[str, Rule] = {
    "tasking:meeting_list": SEEING_GROUP,
    "tasking:meeting_create": Rule(PLANS, PLANS, obj="meetings_group"),
    # A count and list filtered by what each user may see; covert ones only when cleared.
    "tasking:group_actions": SEEING_GROUP,
    "tasking:meeting_detail": SEEING_MEETING,
    "tasking:meeting_edit": Rule(PLANS, PLANS, obj="tasking_meeting"),
    "tasking:agenda_draft": Rule(CHAIRS, NOBODY, obj="tasking_meeting", post_only=True),
    "tasking:agenda_item_add": CHAIRING,
    "tasking:agenda_publish": CHAIRING,
    "tasking:meeting_attendance": CHAIRING,
    "tasking:meeting_hold": CHAIRING,
    "tasking:action_create": CHAIRING,
    "tasking:escalation_create": CHAIRING,
    # The published agenda as a file: whoever sees the meeting.
    "tasking:agenda_pdf": SEEING_MEETING,
    "tasking:agenda_docx": SEEING_MEETING,
    "tasking:agenda_item_edit": Rule(CHAIRS, NOBODY, obj="tasking_agenda_item"),
    "tasking:agenda_item_minutes": Rule(CHAIRS, NOBODY, obj="tasking_agenda_item"),
    # The action here is COVERT: sealed to the group's chair and its cleared members. The
    # partner (a member without clearance) and the administrator (who sees every group's
    # meetings) get 404, as if it did not exist; so does everyone for another group's.
    "tasking:action_detail": Rule(CHAIRS, NOBODY, obj="tasking_covert_action"),
    "tasking:action_update": Rule(CHAIRS, NOBODY, obj="tasking_covert_action"),
    # Everyone's own open actions (an empty list for most).
    "tasking:my_actions": Rule(SIGNED_IN),
    # The chairs' inbox: holders of the chair capability.
    "tasking:escalation_list": Rule(CHAIRS),
    # An escalation is seen by those who see the raising or the receiving group; only the
    # receiving group's chair decides it.
    "tasking:escalation_detail": Rule(SEES_GROUP, SEES_OTHER_GROUP, obj="tasking_escalation"),
    "tasking:escalation_decide": Rule(CHAIRS, NOBODY, obj="tasking_escalation"),
}


def _children(users: dict) -> dict:
    social_worker = users[SOCIAL_WORKER]
    return {
        IN_SCOPE: ChildFactory(team=social_worker.team, allocated_worker=social_worker),
        OUT_OF_SCOPE: ChildFactory(team=users[OTHER_TEAM_SOCIAL_WORKER].team),
    }


def _groups(users: dict) -> dict:
    chair = users[TASKING_CHAIR]
    ours = TaskingGroupFactory(chair=chair, escalates_to=StrategicGroupFactory(chair=chair))
    GroupMembershipFactory(group=ours, user=users[PARTNER_MEMBER], has_covert_clearance=False)
    return {IN_SCOPE: ours, OUT_OF_SCOPE: TaskingGroupFactory(escalates_to=StrategicGroupFactory())}


def _meetings(users: dict) -> dict:
    groups, children = _groups(users), _children(users)
    meetings = {scope: PublishedMeetingFactory(group=group) for scope, group in groups.items()}
    for scope, meeting in meetings.items():
        put_on_agenda(meeting, child=children[scope])
    return meetings


def _items(users: dict) -> dict:
    return {scope: meeting.agenda_items.get() for scope, meeting in _meetings(users).items()}


def _covert_actions(users: dict) -> dict:
    return {
        scope: CovertActionFactory(meeting=meeting, child=meeting.agenda_items.get().child)
        for scope, meeting in _meetings(users).items()
    }


def _escalations(users: dict) -> dict:
    return {
        scope: EscalationFactory(
            from_group=meeting.group,
            to_group=meeting.group.escalates_to,
            child=meeting.agenda_items.get().child,
        )
        for scope, meeting in _meetings(users).items()
    }


OBJECT_KINDS: dict[str, ObjectKind] = {
    "meetings_group": ObjectKind(build=_groups, detail_url="tasking:meeting_list"),
    "tasking_meeting": ObjectKind(build=_meetings, detail_url="tasking:meeting_detail"),
    # Items are seen with their (published) meeting.
    "tasking_agenda_item": ObjectKind(build=_items, detail_url="tasking:meeting_detail"),
    "tasking_covert_action": ObjectKind(build=_covert_actions, detail_url="tasking:action_detail"),
    "tasking_escalation": ObjectKind(build=_escalations, detail_url="tasking:escalation_detail"),
}
