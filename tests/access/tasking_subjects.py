"""Access rules for the tasking subjects pages and the network views.

See tests/test_access_matrix.py. Written by hand, never computed from the app's rules.
"""

from tests.access.personas import (
    CP_MANAGER,
    IN_SCOPE,
    MISSING_OFFICER,
    OTHER_TEAM_SOCIAL_WORKER,
    OUT_OF_SCOPE,
    SERVICE_MANAGER,
    SOCIAL_WORKER,
    TEAM_MANAGER,
    ObjectKind,
    Rule,
)
from tests.referrals.factories import ChildFactory
from tests.tasking.factories import (
    ChildSubjectLinkFactory,
    GroupMembershipFactory,
    SubjectAssociationFactory,
    TaskingGroupFactory,
)
from tests.tasking.factories_meetings import PublishedMeetingFactory, put_on_agenda

TASKING_CHAIR = "tasking_chair"
PARTNER_MEMBER = "partner_member"

# Those who hold the record-subject capability: the case-holding roles of either team, the
# tasking chair and the partner agency member. Not the analyst, director or administrator.
RECORDS_SUBJECTS = frozenset(
    {
        SOCIAL_WORKER,
        TEAM_MANAGER,
        SERVICE_MANAGER,
        CP_MANAGER,
        MISSING_OFFICER,
        TASKING_CHAIR,
        PARTNER_MEMBER,
        OTHER_TEAM_SOCIAL_WORKER,
    }
)
# The in-scope subject is linked to the team-A child (allocated to the team-A social worker)
# and is on the published agenda of the group the tasking chair chairs and the partner belongs
# to: seen by team A's case workers, those who see every child, the chair and the partner.
SEES_TEAM_A_SUBJECT = frozenset(
    {
        SOCIAL_WORKER,
        TEAM_MANAGER,
        SERVICE_MANAGER,
        CP_MANAGER,
        MISSING_OFFICER,
        TASKING_CHAIR,
        PARTNER_MEMBER,
    }
)
# The out-of-scope subject is linked only to the team-B child and is on no agenda.
SEES_TEAM_B_SUBJECT = frozenset(
    {OTHER_TEAM_SOCIAL_WORKER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER}
)
# A child's network: whoever can open the child (no agenda shares the harness's child).
SEES_TEAM_A_CHILD = frozenset(
    {SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER}
)
SEES_TEAM_B_CHILD = frozenset(
    {OTHER_TEAM_SOCIAL_WORKER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER}
)

SUBJECT = {"in_scope": SEES_TEAM_A_SUBJECT, "out_of_scope": SEES_TEAM_B_SUBJECT}

EXPECTATIONS: dict[str, Rule] = {
    # The list shows the subjects the user may open; refused to those who cannot record them.
    "tasking:subject_list": Rule(RECORDS_SUBJECTS),
    "tasking:subject_create": Rule(RECORDS_SUBJECTS),
    # A subject is restricted: its pages first ask for a reason (a redirect counts as success).
    "tasking:subject_detail": Rule(**SUBJECT, obj="subject"),
    "tasking:subject_break_glass": Rule(**SUBJECT, obj="subject"),
    "tasking:subject_edit": Rule(**SUBJECT, obj="subject"),
    "tasking:subject_children": Rule(**SUBJECT, obj="subject"),
    "tasking:subject_link_child": Rule(**SUBJECT, obj="subject"),
    "tasking:subject_link_subject": Rule(**SUBJECT, obj="subject"),
    "tasking:subject_network": Rule(**SUBJECT, obj="subject"),
    "tasking:subject_network_svg": Rule(**SUBJECT, obj="subject"),
    # Ending a link: those who see both its child (the agenda shared the team-A child with the
    # chair and the partner) and its subject.
    "tasking:child_link_end": Rule(**SUBJECT, obj="child_subject_link"),
    "tasking:association_end": Rule(**SUBJECT, obj="subject_association"),
    "tasking:child_network": Rule(SEES_TEAM_A_CHILD, SEES_TEAM_B_CHILD, obj="child"),
    "tasking:child_network_svg": Rule(SEES_TEAM_A_CHILD, SEES_TEAM_B_CHILD, obj="child"),
}


def _children(users: dict) -> tuple:
    social_worker = users[SOCIAL_WORKER]
    return (
        ChildFactory(team=social_worker.team, allocated_worker=social_worker),
        ChildFactory(team=users[OTHER_TEAM_SOCIAL_WORKER].team),
    )


def _published_meeting(users: dict):
    group = TaskingGroupFactory(chair=users[TASKING_CHAIR])
    GroupMembershipFactory(group=group, user=users[PARTNER_MEMBER])
    return PublishedMeetingFactory(group=group)


def _links(users: dict) -> dict:
    child_a, child_b = _children(users)
    in_scope = ChildSubjectLinkFactory(child=child_a)
    put_on_agenda(_published_meeting(users), child=child_a, subject=in_scope.subject)
    return {IN_SCOPE: in_scope, OUT_OF_SCOPE: ChildSubjectLinkFactory(child=child_b)}


def _subjects(users: dict) -> dict:
    return {scope: link.subject for scope, link in _links(users).items()}


def _associations(users: dict) -> dict:
    child_a, child_b = _children(users)
    meeting = _published_meeting(users)
    pair_a = [ChildSubjectLinkFactory(child=child_a).subject for _ in range(2)]
    for subject in pair_a:
        put_on_agenda(meeting, child=child_a, subject=subject)
    pair_b = [ChildSubjectLinkFactory(child=child_b).subject for _ in range(2)]
    return {
        IN_SCOPE: SubjectAssociationFactory(subject=pair_a[0], other=pair_a[1]),
        OUT_OF_SCOPE: SubjectAssociationFactory(subject=pair_b[0], other=pair_b[1]),
    }


OBJECT_KINDS = {
    "subject": ObjectKind(build=_subjects, detail_url="tasking:subject_detail"),
    "child_subject_link": ObjectKind(build=_links, detail_url="tasking:subject_detail"),
    "subject_association": ObjectKind(build=_associations, detail_url="tasking:subject_detail"),
}
