"""What a meeting's agenda and minutes say, gathered once for the PDF and the Word renderers.

These are internal documents: they carry the child's name and case reference, the standard
agenda (introductions, the child's views, the risk assessment summary, CRE Offer progress,
decisions, actions, the next meeting) and, in the minutes, what was recorded at the meeting.
"""

import dataclasses
import datetime

from django.conf import settings
from django.db.models import QuerySet

from cre_portal.timescales import local_date
from referrals.codes import RiskLevel
from risk_assessment.models import (
    Assessment,
    IndicatorAnswer,
    MeetingAction,
    OfferItem,
    ProfessionalsMeeting,
)
from risk_assessment.services.meetings import long_date, when


@dataclasses.dataclass(frozen=True)
class Attendee:
    name: str
    role: str
    attended: str


@dataclasses.dataclass(frozen=True)
class ActionRow:
    description: str
    owner: str
    due: str
    status: str


@dataclasses.dataclass(frozen=True)
class AssessmentSummary:
    level: str
    score: str
    completed: str
    changes: list[str]


@dataclasses.dataclass(frozen=True)
class MeetingDocument:
    """Everything the agenda and the minutes print, as plain strings and lists."""

    kind: str  # "agenda" or "minutes"
    council_name: str
    title: str
    child_ref: str
    child_name: str
    when: str
    location: str
    chair: str
    risk_level: str
    status: str
    invitations: list[tuple[str, str]]
    attendees: list[Attendee]
    assessment: AssessmentSummary | None
    offer: list[tuple[str, str, str]]
    agenda: list[str]
    child_views: str
    child_views_not_obtained: str
    decisions: str
    minutes: str
    actions: list[ActionRow]
    earlier_actions: list[ActionRow]
    next_meeting: str
    prepared_on: str
    meeting_date: datetime.date

    @property
    def filename_stem(self) -> str:
        """No child's name in a file name: file names end up in download folders and emails."""
        return f"meeting-{self.kind}-{self.child_ref}-{self.meeting_date:%Y-%m-%d}"


def _yes_no(value: bool | None) -> str:
    if value is None:
        return "Not recorded"
    return "Yes" if value else "No"


def _attendees(meeting: ProfessionalsMeeting, held: bool) -> list[Attendee]:
    rows = [Attendee(meeting.chair.display_name, "Chair", "Yes" if held else "")]
    for attendee in meeting.attendees.select_related("user"):
        if attendee.user is not None:
            name, role = attendee.user.display_name, attendee.role or "Colleague"
        else:
            name = attendee.name
            role = ", ".join(part for part in (attendee.role, attendee.agency) if part)
        rows.append(Attendee(name, role, _yes_no(attendee.attended) if held else ""))
    return rows


def _present(assessment: Assessment) -> dict[str, str]:
    answers = IndicatorAnswer.objects.filter(
        assessment=assessment, answer=IndicatorAnswer.Answer.PRESENT
    ).select_related("indicator")
    return {answer.indicator.code: answer.indicator.text for answer in answers}


def what_changed(assessment: Assessment) -> list[str]:
    """Level, score and indicators that differ from the child's previous approved assessment."""
    previous = assessment.previous
    if previous is None:
        return []
    changes = []
    if previous.level and previous.level != assessment.level:
        changes.append(
            f"Level changed from {RiskLevel(previous.level).label} "
            f"to {RiskLevel(assessment.level).label}"
        )
    scored = previous.score is not None and assessment.score is not None
    if scored and previous.score != assessment.score:
        changes.append(f"Score changed from {previous.score} to {assessment.score}")
    now, before = _present(assessment), _present(previous)
    changes += [f"Newly present: {text}" for code, text in now.items() if code not in before]
    changes += [f"No longer present: {text}" for code, text in before.items() if code not in now]
    return changes or ["No change in level, score or indicators present"]


def _assessment(meeting: ProfessionalsMeeting) -> AssessmentSummary | None:
    assessment = meeting.assessment
    if assessment is None:
        return None
    return AssessmentSummary(
        level=RiskLevel(assessment.level).label if assessment.level else "Not set",
        score="Not scored" if assessment.score is None else str(assessment.score),
        completed=long_date(assessment.completed_on) if assessment.completed_on else "",
        changes=what_changed(assessment),
    )


def _offer(meeting: ProfessionalsMeeting) -> list[tuple[str, str, str]]:
    if meeting.assessment_id is None:
        return []
    items = OfferItem.objects.filter(assessment_id=meeting.assessment_id).select_related(
        "intervention"
    )
    return [
        (item.intervention.name, item.get_status_display(), item.provider or "Not set")
        for item in items
    ]


def _action_rows(actions: QuerySet[MeetingAction]) -> list[ActionRow]:
    rows = []
    for action in actions.select_related("owner").order_by("due_on", "created_at"):
        owner = action.owner.display_name if action.owner else action.owner_name
        status = action.get_status_display()
        if action.completed_on:
            status = f"{status} {long_date(action.completed_on)}"
        rows.append(ActionRow(action.description, owner, long_date(action.due_on), status))
    return rows


def _earlier_open_actions(meeting: ProfessionalsMeeting) -> list[ActionRow]:
    """Open actions from the child's earlier meetings: the agenda reviews them."""
    actions = MeetingAction.objects.filter(
        meeting__child_id=meeting.child_id,
        meeting__scheduled_for__lt=meeting.scheduled_for,
        status=MeetingAction.Status.OPEN,
    )
    return _action_rows(actions)


def _next_meeting(meeting: ProfessionalsMeeting) -> str:
    later = ProfessionalsMeeting.objects.filter(
        child_id=meeting.child_id,
        status=ProfessionalsMeeting.Status.SCHEDULED,
        scheduled_for__gt=meeting.scheduled_for,
    ).order_by("scheduled_for")
    following = later.first()
    return when(following.scheduled_for) if following else "To be agreed at this meeting"


def _invitations(meeting: ProfessionalsMeeting, *, attended: bool) -> list[tuple[str, str]]:
    rows = [
        ("Child invited", _yes_no(meeting.child_invited)),
        ("Parents or carers invited", _yes_no(meeting.parents_invited)),
    ]
    if attended:
        rows += [
            ("Child attended", _yes_no(meeting.child_attended)),
            ("Parents or carers attended", _yes_no(meeting.parents_attended)),
        ]
    return rows


def _agenda(has_offer: bool) -> list[str]:
    items = [
        "Introductions and apologies",
        "The child's views",
        "Risk assessment summary: level, score and what has changed",
    ]
    if has_offer:
        items.append("CRE Offer: progress of the support offered")
    items += ["Decisions", "Actions: owners and due dates", "Date of the next meeting"]
    return items


def meeting_document(
    meeting: ProfessionalsMeeting, *, kind: str, today: datetime.date
) -> MeetingDocument:
    """The agenda (kind "agenda") or minutes (kind "minutes") of a meeting."""
    minutes = kind == "minutes" and meeting.status == ProfessionalsMeeting.Status.HELD
    offer = _offer(meeting)
    child = meeting.child
    title = "Professionals' meeting: " + ("minutes" if kind == "minutes" else "agenda")
    return MeetingDocument(
        kind=kind,
        council_name=settings.COUNCIL_NAME,
        title=title,
        child_ref=child.child_ref,
        child_name=child.full_name,
        when=when(meeting.scheduled_for),
        location=meeting.location,
        chair=meeting.chair.display_name,
        risk_level=RiskLevel(meeting.risk_level).label,
        status=meeting.get_status_display(),
        invitations=_invitations(meeting, attended=minutes),
        attendees=_attendees(meeting, minutes),
        assessment=_assessment(meeting),
        offer=offer,
        agenda=_agenda(bool(offer)),
        child_views=meeting.child_views,
        child_views_not_obtained=meeting.child_views_not_obtained,
        decisions=meeting.decisions,
        minutes=meeting.minutes,
        actions=_action_rows(MeetingAction.objects.filter(meeting=meeting)),
        earlier_actions=_earlier_open_actions(meeting),
        next_meeting=_next_meeting(meeting),
        prepared_on=long_date(today),
        meeting_date=local_date(meeting.scheduled_for),
    )
