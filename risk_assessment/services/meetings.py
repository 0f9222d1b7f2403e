"""Professionals' meetings: booking with the chair the risk level calls for, recording, actions.

A meeting is booked for a time in the future, about a child whose risk level is known (from the
child's latest approved assessment, or the approved assessment it is booked from); that level
decides who must chair it. After it has taken place it is recorded as held, with the child's
views or why they could not be obtained; actions come out of it with an owner and a due date.
Edits of the meeting are versioned (StaleEdit); every change goes on the child's chronology.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.audit.models import CaseEvent
from cre_portal.audit.services import case_event_record
from cre_portal.concurrency import StaleEdit, changed_since, save_versioned
from cre_portal.timescales import LONDON
from referrals.codes import RiskLevel
from referrals.models import Child
from risk_assessment.models import (
    Assessment,
    MeetingAction,
    MeetingAttendee,
    ProfessionalsMeeting,
)
from risk_assessment.permissions.meetings import (
    MEETING_LEVELS,
    can_book_meeting,
    can_chair,
    can_manage_meeting,
    can_update_action,
)

Status = ProfessionalsMeeting.Status
ActionStatus = MeetingAction.Status

CHAIR_MESSAGES: dict[str, str] = {
    RiskLevel.HIGH.value: (
        "The chair of a meeting about a child at high risk must be a child protection manager"
    ),
    RiskLevel.MEDIUM.value: (
        "The chair of a meeting about a child at medium risk must be a service manager"
    ),
}
LOW_CHAIR_MESSAGE = "The chair must be someone who can book professionals' meetings"
NO_LEVEL = (
    "This child has no approved risk assessment, so there is no risk level to decide who "
    "chairs the meeting. Complete and approve a risk assessment first."
)
NOT_SCHEDULED = "This meeting has been {status}, so its booking can no longer be changed"


class CancelReason(models.TextChoices):
    CHILD_UNAVAILABLE = "CHILD_UNAVAILABLE", "The child or family could not attend"
    CHAIR_UNAVAILABLE = "CHAIR_UNAVAILABLE", "The chair could not attend"
    PROFESSIONALS_UNAVAILABLE = "PROFESSIONALS", "Key professionals could not attend"
    REARRANGED = "REARRANGED", "Rearranged for another date"
    NO_LONGER_NEEDED = "NO_LONGER_NEEDED", "No longer needed"
    OTHER = "OTHER", "Another reason"


def when(moment: datetime.datetime) -> str:
    """A moment as GOV.UK writes it, in London time: 3 December 2026 at 14:30."""
    local = moment.astimezone(LONDON)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def chair_refusal(level: str) -> str:
    """What to tell the booker when their chosen chair may not chair at this level."""
    return CHAIR_MESSAGES.get(level, LOW_CHAIR_MESSAGE)


def _check_chair(chair: User, level: str) -> None:
    if not can_chair(chair, level):
        raise ValidationError({"chair": chair_refusal(level)})


def _check_future(scheduled_for: datetime.datetime) -> None:
    if scheduled_for <= timezone.now():
        raise ValidationError(
            {"scheduled_on": "The date and time of the meeting must be in the future"}
        )


def _check_location(location: str) -> str:
    location = location.strip()
    if not location:
        raise ValidationError({"location": "Enter where the meeting will be held"})
    return location


def _event(
    meeting: ProfessionalsMeeting,
    *,
    actor: User,
    verb: str,
    summary: str,
    obj: models.Model | None = None,
    category: str = CaseEvent.Category.MEETING,
    occurred_at: datetime.datetime | None = None,
    is_significant: bool = False,
) -> None:
    """Put the change on the child's chronology; summaries hold codes and dates, never names."""
    case_event_record(
        child_id=meeting.child_id,
        category=category,
        verb=verb,
        summary=summary,
        obj=obj or meeting,
        actor=actor,
        occurred_at=occurred_at,
        is_significant=is_significant,
    )


# --- Booking ------------------------------------------------------------------------------------
def booking_level(child: Child, assessment: Assessment | None) -> tuple[str, Assessment | None]:
    """The level that decides the chair, and the assessment the meeting follows.

    Booked from an assessment: its level. Otherwise the child's current level (read afresh, in
    case an approval changed it while the form was open) and their latest approved assessment.
    """
    if assessment is not None:
        _check_assessment(child, assessment)
        return assessment.level, assessment
    level = Child.objects.values_list("risk_level", flat=True).get(pk=child.pk)
    if not level:
        raise ValidationError(NO_LEVEL)
    latest = Assessment.objects.filter(child=child).approved().order_by("-completed_on")
    return level, latest.first()


def _check_assessment(child: Child, assessment: Assessment) -> None:
    if assessment.child_id != child.pk:
        raise ValidationError("That assessment is about another child")
    approved = assessment.status == Assessment.Status.APPROVED
    if not approved or assessment.level not in MEETING_LEVELS:
        raise ValidationError(
            "A meeting can be booked from an approved assessment of medium or high risk only"
        )


@transaction.atomic
def meeting_book(
    *,
    child: Child,
    actor: User,
    scheduled_for: datetime.datetime,
    location: str,
    chair: User,
    child_invited: bool,
    parents_invited: bool,
    assessment: Assessment | None = None,
) -> ProfessionalsMeeting:
    """Book a professionals' meeting, chaired by someone the child's risk level allows."""
    if not can_book_meeting(actor, child):
        raise PermissionDenied
    level, assessment = booking_level(child, assessment)
    _check_future(scheduled_for)
    location = _check_location(location)
    _check_chair(chair, level)
    meeting = ProfessionalsMeeting.objects.create(
        child=child,
        assessment=assessment,
        risk_level=level,
        scheduled_for=scheduled_for,
        location=location,
        chair=chair,
        child_invited=child_invited,
        parents_invited=parents_invited,
        created_by=actor,
    )
    summary = f"Professionals' meeting booked for {when(scheduled_for)} ({level.lower()} risk)"
    _event(meeting, actor=actor, verb="meeting_booked", summary=summary)
    return meeting


def _lock(meeting: ProfessionalsMeeting, *, version: int, actor: User) -> ProfessionalsMeeting:
    """The meeting as it is now, locked; refused if the form was loaded before another save."""
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied
    current = ProfessionalsMeeting.objects.select_for_update().get(pk=meeting.pk)
    if current.version != version:
        raise StaleEdit(changed_since(current, version))
    return current


def _check_scheduled(meeting: ProfessionalsMeeting) -> None:
    if meeting.status != Status.SCHEDULED:
        status = meeting.get_status_display().lower()
        raise ValidationError(NOT_SCHEDULED.format(status=status))


@transaction.atomic
def meeting_update(
    *,
    meeting: ProfessionalsMeeting,
    actor: User,
    version: int,
    scheduled_for: datetime.datetime,
    location: str,
    chair: User,
    child_invited: bool,
    parents_invited: bool,
) -> ProfessionalsMeeting:
    """Change a scheduled meeting's time, place, chair or invitations."""
    meeting = _lock(meeting, version=version, actor=actor)
    _check_scheduled(meeting)
    _check_future(scheduled_for)
    location = _check_location(location)
    # The level at booking keeps deciding the chair.
    _check_chair(chair, meeting.risk_level)
    moved = scheduled_for != meeting.scheduled_for
    meeting.scheduled_for = scheduled_for
    meeting.location = location
    meeting.chair = chair
    meeting.child_invited = child_invited
    meeting.parents_invited = parents_invited
    fields = ["scheduled_for", "location", "chair", "child_invited", "parents_invited"]
    save_versioned(meeting, expected_version=version, fields=fields)
    summary = "Professionals' meeting details changed"
    if moved:
        summary = f"Professionals' meeting moved to {when(scheduled_for)}"
    _event(meeting, actor=actor, verb="meeting_updated", summary=summary)
    return meeting


@transaction.atomic
def meeting_add_attendee(
    *,
    meeting: ProfessionalsMeeting,
    actor: User,
    user: User | None = None,
    name: str = "",
    role: str = "",
    agency: str = "",
) -> MeetingAttendee:
    """Invite a colleague, or a named person from another agency, to the meeting."""
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied
    if meeting.status == Status.CANCELLED:
        raise ValidationError("This meeting has been cancelled")
    name = name.strip()
    _check_attendee(meeting, user, name)
    attendee = MeetingAttendee.objects.create(
        meeting=meeting,
        user=user,
        name="" if user else name,
        role=role.strip(),
        agency=agency.strip(),
    )
    summary = f"Attendee added to the professionals' meeting of {when(meeting.scheduled_for)}"
    _event(meeting, actor=actor, verb="meeting_attendee_added", summary=summary)
    return attendee


def _check_attendee(meeting: ProfessionalsMeeting, user: User | None, name: str) -> None:
    if user is None and not name:
        raise ValidationError(
            {"user": "Select a colleague, or enter the name of someone from another agency"}
        )
    if user is not None and name:
        raise ValidationError(
            {"name": "Select a colleague or enter the name of someone else, not both"}
        )
    if user is not None and user.pk == meeting.chair_id:
        raise ValidationError({"user": f"{user.display_name} is chairing this meeting"})
    if user is not None and meeting.attendees.filter(user=user).exists():
        raise ValidationError({"user": f"{user.display_name} is already invited"})


# --- Recording and cancelling -------------------------------------------------------------------
@transaction.atomic
def meeting_record(
    *,
    meeting: ProfessionalsMeeting,
    actor: User,
    version: int,
    child_attended: bool,
    parents_attended: bool,
    attended: list[int],
    child_views: str,
    child_views_not_obtained: str,
    decisions: str,
    minutes: str,
) -> ProfessionalsMeeting:
    """Record a meeting that has taken place as held (or correct that record)."""
    meeting = _lock(meeting, version=version, actor=actor)
    _check_can_record(meeting)
    child_views, not_obtained = child_views.strip(), child_views_not_obtained.strip()
    if not child_views and not not_obtained:
        raise ValidationError(
            {"child_views": "Enter the child's views, or why they could not be obtained"}
        )
    first_time = meeting.status == Status.SCHEDULED
    meeting.status = Status.HELD
    meeting.child_attended = child_attended
    meeting.parents_attended = parents_attended
    meeting.child_views = child_views
    meeting.child_views_not_obtained = not_obtained
    meeting.decisions = decisions.strip()
    meeting.minutes = minutes.strip()
    fields = ["status", "child_attended", "parents_attended", "child_views"]
    fields += ["child_views_not_obtained", "decisions", "minutes"]
    save_versioned(meeting, expected_version=version, fields=fields)
    came = Case(When(pk__in=attended, then=Value(True)), default=Value(False))
    meeting.attendees.update(attended=came)
    _record_held_event(meeting, actor=actor, first_time=first_time)
    return meeting


def _check_can_record(meeting: ProfessionalsMeeting) -> None:
    if meeting.status == Status.CANCELLED:
        raise ValidationError("A cancelled meeting cannot be recorded as held")
    if meeting.scheduled_for > timezone.now():
        raise ValidationError(
            "You can record the meeting once it has taken place. "
            f"It is booked for {when(meeting.scheduled_for)}."
        )


def _record_held_event(meeting: ProfessionalsMeeting, *, actor: User, first_time: bool) -> None:
    views = "the child's views recorded"
    if not meeting.child_views:
        views = "the child's views could not be obtained"
    if not first_time:
        summary = f"Record of the professionals' meeting of {when(meeting.scheduled_for)} updated"
        _event(meeting, actor=actor, verb="meeting_record_updated", summary=summary)
        return
    level = meeting.risk_level.lower()
    _event(
        meeting,
        actor=actor,
        verb="meeting_held",
        summary=f"Professionals' meeting held ({level} risk); {views}",
        occurred_at=meeting.scheduled_for,
        is_significant=True,
    )


@transaction.atomic
def meeting_cancel(
    *, meeting: ProfessionalsMeeting, actor: User, version: int, reason: str
) -> ProfessionalsMeeting:
    """Cancel a scheduled meeting, giving the reason (a code: it goes on the chronology)."""
    meeting = _lock(meeting, version=version, actor=actor)
    _check_scheduled(meeting)
    if reason not in CancelReason.values:
        raise ValidationError({"reason": "Select why the meeting is cancelled"})
    meeting.status = Status.CANCELLED
    save_versioned(meeting, expected_version=version, fields=["status"])
    label = CancelReason(reason).label
    summary = f"Professionals' meeting of {when(meeting.scheduled_for)} cancelled: {label}"
    _event(meeting, actor=actor, verb="meeting_cancelled", summary=summary)
    return meeting


def cancellation_reason(meeting: ProfessionalsMeeting) -> str:
    """Why a cancelled meeting was cancelled, as recorded on the chronology."""
    event = CaseEvent.objects.filter(
        object_type=meeting._meta.label_lower,
        object_id=str(meeting.pk),
        verb="meeting_cancelled",
    ).first()
    return event.summary.rpartition(": ")[2] if event else ""


# --- Actions ------------------------------------------------------------------------------------
@transaction.atomic
def action_add(
    *,
    meeting: ProfessionalsMeeting,
    actor: User,
    description: str,
    due_on: datetime.date,
    owner: User | None = None,
    owner_name: str = "",
) -> MeetingAction:
    """Add an action agreed at a held meeting, owned by a colleague or a named person."""
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied
    if meeting.status != Status.HELD:
        raise ValidationError("Add actions once the meeting has been recorded as held")
    description, owner_name = description.strip(), owner_name.strip()
    _check_action(description=description, owner=owner, owner_name=owner_name, due_on=due_on)
    action = MeetingAction.objects.create(
        meeting=meeting,
        description=description,
        owner=owner,
        owner_name="" if owner else owner_name,
        due_on=due_on,
    )
    summary = f"Action agreed at the professionals' meeting, due {long_date(due_on)}"
    _event(
        meeting,
        actor=actor,
        verb="action_created",
        summary=summary,
        obj=action,
        category=CaseEvent.Category.ACTION,
    )
    return action


def _check_action(
    *, description: str, owner: User | None, owner_name: str, due_on: datetime.date
) -> None:
    if not description:
        raise ValidationError({"description": "Enter what needs to be done"})
    if owner is None and not owner_name:
        raise ValidationError(
            {"owner": "Select who owns the action, or enter the name of someone else"}
        )
    if owner is not None and owner_name:
        raise ValidationError(
            {"owner_name": "Select an owner or enter the name of someone else, not both"}
        )
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "The due date must be today or in the future"})


def _lock_action(action: MeetingAction, actor: User) -> MeetingAction:
    if not can_update_action(actor, action):
        raise PermissionDenied
    current = MeetingAction.objects.select_for_update().select_related("meeting").get(pk=action.pk)
    if current.status != ActionStatus.OPEN:
        raise ValidationError(f"This action is already {current.get_status_display().lower()}")
    return current


@transaction.atomic
def action_complete(*, action: MeetingAction, actor: User) -> MeetingAction:
    """Mark an open action done today."""
    action = _lock_action(action, actor)
    action.status = ActionStatus.DONE
    action.completed_on = timezone.localdate()
    action.save(update_fields=["status", "completed_on", "updated_at"])
    summary = f"Meeting action due {long_date(action.due_on)} done"
    _event(
        action.meeting,
        actor=actor,
        verb="action_completed",
        summary=summary,
        obj=action,
        category=CaseEvent.Category.ACTION,
    )
    return action


@transaction.atomic
def action_cancel(*, action: MeetingAction, actor: User) -> MeetingAction:
    """Cancel an open action that is no longer needed."""
    action = _lock_action(action, actor)
    action.status = ActionStatus.CANCELLED
    action.save(update_fields=["status", "updated_at"])
    summary = f"Meeting action due {long_date(action.due_on)} cancelled"
    _event(
        action.meeting,
        actor=actor,
        verb="action_cancelled",
        summary=summary,
        obj=action,
        category=CaseEvent.Category.ACTION,
    )
    return action
