from tasking.models.groups import TIER_ABOVE, GroupMembership, TaskingGroup, Tier
from tasking.models.meetings import (
    Action,
    ActionQuerySet,
    AgendaItem,
    Escalation,
    MeetingAttendance,
    Tactic,
    TaskingMeeting,
)
from tasking.models.subjects import (
    ChildSubjectLink,
    Grading,
    LinkSource,
    SubjectAssociation,
    SubjectKind,
    SubjectOfConcern,
    subject_search_text,
)

__all__ = [
    "TIER_ABOVE",
    "Action",
    "ActionQuerySet",
    "AgendaItem",
    "ChildSubjectLink",
    "Escalation",
    "Grading",
    "GroupMembership",
    "LinkSource",
    "MeetingAttendance",
    "SubjectAssociation",
    "SubjectKind",
    "SubjectOfConcern",
    "Tactic",
    "TaskingGroup",
    "TaskingMeeting",
    "Tier",
    "subject_search_text",
]
