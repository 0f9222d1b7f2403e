"""Access rules for the professionals' meeting pages.

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
from tests.risk_assessment.factories_meetings import (
    ApprovedAssessmentFactory,
    HeldMeetingFactory,
    HighRiskChildFactory,
    MeetingActionFactory,
)

# A meeting (its papers and actions) is seen by whoever sees its child: social worker and team
# manager for their team's children (and those allocated to them); service manager, CP manager
# and missing-team officer for every child.
SEES_TEAM_A = frozenset({SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER})
SEES_TEAM_B = frozenset({OTHER_TEAM_SOCIAL_WORKER, SERVICE_MANAGER, CP_MANAGER, MISSING_OFFICER})
# Booking, changing, recording and cancelling meetings, attendees and actions: the `book_meeting`
# capability (social workers and the three managers) on children they see. The missing-team
# officer sees the child but may not book (403, not 404).
BOOKS_TEAM_A = frozenset({SOCIAL_WORKER, TEAM_MANAGER, SERVICE_MANAGER, CP_MANAGER})
BOOKS_TEAM_B = frozenset({OTHER_TEAM_SOCIAL_WORKER, SERVICE_MANAGER, CP_MANAGER})

SEEING = Rule(SEES_TEAM_A, SEES_TEAM_B, obj="held_meeting")
# Tried on a held meeting: the pages for scheduled meetings only (change, cancel) redirect to
# the meeting with a note, which the matrix counts as a success.
MANAGING = Rule(BOOKS_TEAM_A, BOOKS_TEAM_B, obj="held_meeting")
# Marking an action done or cancelled is POST-only. The action's owner (here the team-A social
# worker, who may book anyway) may update it too. A second POST finds it closed: a redirect.
UPDATING_ACTION = Rule(BOOKS_TEAM_A, BOOKS_TEAM_B, obj="meeting_action", post_only=True)

EXPECTATIONS: dict[str, Rule] = {
    "risk_assessment:child_meetings": Rule(SEES_TEAM_A, SEES_TEAM_B, obj="child"),
    # The platform's in-scope child has no risk level: booking redirects to the tab with a note.
    "risk_assessment:meeting_book": Rule(BOOKS_TEAM_A, BOOKS_TEAM_B, obj="child"),
    "risk_assessment:meeting_book_from_assessment": Rule(
        BOOKS_TEAM_A, BOOKS_TEAM_B, obj="meeting_assessment"
    ),
    "risk_assessment:meeting_detail": SEEING,
    "risk_assessment:meeting_edit": MANAGING,
    "risk_assessment:meeting_attendee_add": MANAGING,
    "risk_assessment:meeting_record": MANAGING,
    "risk_assessment:meeting_cancel": MANAGING,
    "risk_assessment:meeting_action_add": MANAGING,
    "risk_assessment:meeting_action_done": UPDATING_ACTION,
    "risk_assessment:meeting_action_cancel": UPDATING_ACTION,
    # Downloads are reads: whoever sees the meeting.
    "risk_assessment:meeting_agenda_pdf": SEEING,
    "risk_assessment:meeting_agenda_docx": SEEING,
    "risk_assessment:meeting_minutes_pdf": SEEING,
    "risk_assessment:meeting_minutes_docx": SEEING,
}


def _children(users: dict) -> dict:
    social_worker = users[SOCIAL_WORKER]
    return {
        IN_SCOPE: HighRiskChildFactory(team=social_worker.team, allocated_worker=social_worker),
        OUT_OF_SCOPE: HighRiskChildFactory(team=users[OTHER_TEAM_SOCIAL_WORKER].team),
    }


def _held_meetings(users: dict) -> dict:
    return {scope: HeldMeetingFactory(child=child) for scope, child in _children(users).items()}


def _actions(users: dict) -> dict:
    meetings = _held_meetings(users)
    return {
        IN_SCOPE: MeetingActionFactory(meeting=meetings[IN_SCOPE], owner=users[SOCIAL_WORKER]),
        OUT_OF_SCOPE: MeetingActionFactory(meeting=meetings[OUT_OF_SCOPE]),
    }


def _assessments(users: dict) -> dict:
    return {
        scope: ApprovedAssessmentFactory(child=child) for scope, child in _children(users).items()
    }


OBJECT_KINDS: dict[str, ObjectKind] = {
    "held_meeting": ObjectKind(build=_held_meetings, detail_url="risk_assessment:meeting_detail"),
    "meeting_action": ObjectKind(build=_actions, detail_url="risk_assessment:meeting_detail"),
    # An approved assessment is seen with its child, as its meetings are.
    "meeting_assessment": ObjectKind(
        build=_assessments, detail_url="risk_assessment:meeting_detail"
    ),
}
