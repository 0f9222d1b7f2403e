"""Tasking meetings: planning, attendance, minutes per agenda item, and holding the meeting.

PLANNED (agenda in draft, see services/agenda.py) -> PUBLISHED (agenda out to members) -> HELD.
Meeting edits are versioned (StaleEdit). Holding a meeting puts "discussed at tasking" on the
chronology of each child on its published agenda; summaries hold tiers and dates, never names.
"""

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.audit.models import CaseEvent
from cre_portal.audit.services import case_event_record
from cre_portal.concurrency import save_versioned
from cre_portal.timescales import LONDON
from tasking.models import AgendaItem, MeetingAttendance, TaskingGroup, TaskingMeeting
from tasking.permissions.meetings import can_chair_meeting, can_plan_meeting

Status = TaskingMeeting.Status
NOT_NOW = "This meeting is {status}, so it can no longer be changed"


def short_date(day: datetime.date | datetime.datetime) -> str:
    """A date as agenda titles write it: 3 Nov 2026 (a moment in London time)."""
    if isinstance(day, datetime.datetime):
        day = day.astimezone(LONDON).date()
    return f"{day.day} {day:%b %Y}"


def when(moment: datetime.datetime) -> str:
    """A moment as GOV.UK writes it, in London time: 3 November 2026 at 14:30."""
    local = moment.astimezone(LONDON)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def lock_meeting(meeting: TaskingMeeting, actor: User) -> TaskingMeeting:
    """The meeting as it is now, locked, for its chair; PermissionDenied for anyone else."""
    if not can_chair_meeting(actor, meeting):
        raise PermissionDenied
    return TaskingMeeting.objects.select_for_update().select_related("group").get(pk=meeting.pk)


def check_status(meeting: TaskingMeeting, *allowed: str) -> None:
    if meeting.status not in allowed:
        raise ValidationError(NOT_NOW.format(status=meeting.get_status_display().lower()))


def _check_details(scheduled_for: datetime.datetime, location: str) -> str:
    errors = {}
    if scheduled_for <= timezone.now():
        errors["scheduled_on"] = "The date and time of the meeting must be in the future"
    if not location.strip():
        errors["location"] = "Enter where the meeting will be held"
    if errors:
        raise ValidationError(errors)
    return location.strip()


@transaction.atomic
def meeting_create(
    *, group: TaskingGroup, scheduled_for: datetime.datetime, location: str, actor: User
) -> TaskingMeeting:
    """Plan the group's next meeting; its agenda starts as an empty draft."""
    if not can_plan_meeting(actor, group):
        raise PermissionDenied
    location = _check_details(scheduled_for, location)
    meeting = TaskingMeeting(group=group, scheduled_for=scheduled_for, location=location)
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: TaskingMeeting,
    scheduled_for: datetime.datetime,
    location: str,
    version: int,
    actor: User,
) -> TaskingMeeting:
    """Move a meeting or change where it is held, until it has been held."""
    if not can_plan_meeting(actor, meeting.group):
        raise PermissionDenied
    check_status(meeting, Status.PLANNED, Status.PUBLISHED)
    meeting.location = _check_details(scheduled_for, location)
    meeting.scheduled_for = scheduled_for
    save_versioned(meeting, expected_version=version, fields=["scheduled_for", "location"])
    return meeting


def attendance_candidates(meeting: TaskingMeeting) -> list[User]:
    """The chair and the group's current members, each once, chair first."""
    members = meeting.group.memberships.current().select_related("user").order_by("user__full_name")
    people = [meeting.group.chair, *(m.user for m in members)]
    return list({person.pk: person for person in people}.values())


@transaction.atomic
def meeting_record_attendance(
    *, meeting: TaskingMeeting, attended: list[uuid.UUID], actor: User
) -> list[MeetingAttendance]:
    """Record who of the chair and current members attended (everyone else: did not)."""
    meeting = lock_meeting(meeting, actor)
    check_status(meeting, Status.PUBLISHED, Status.HELD)
    came = {str(pk) for pk in attended}
    rows = []
    for person in attendance_candidates(meeting):
        row, _ = MeetingAttendance.objects.update_or_create(
            meeting=meeting, user=person, defaults={"attended": str(person.pk) in came}
        )
        rows.append(row)
    return rows


@transaction.atomic
def agenda_item_minutes(*, item: AgendaItem, minutes: str, actor: User) -> AgendaItem:
    """The minutes of one agenda item, written during or after the meeting."""
    meeting = lock_meeting(item.meeting, actor)
    check_status(meeting, Status.PUBLISHED, Status.HELD)
    if not item.is_included:
        raise ValidationError("This item was left off the agenda, so it has no minutes")
    item.minutes = minutes.strip()
    item.save(update_fields=["minutes", "updated_at"])
    return item


@transaction.atomic
def meeting_hold(*, meeting: TaskingMeeting, actor: User) -> TaskingMeeting:
    """Record that the published meeting took place; each child on it gets a chronology entry."""
    meeting = lock_meeting(meeting, actor)
    check_status(meeting, Status.PUBLISHED)
    if meeting.scheduled_for > timezone.now():
        raise ValidationError("A meeting can be recorded as held once it has started")
    meeting.status = Status.HELD
    meeting.save(update_fields=["status", "updated_at"])
    items = meeting.agenda_items.filter(is_included=True, child__isnull=False)
    tier = meeting.group.get_tier_display().lower()
    day = short_date(meeting.scheduled_for)
    for child_id in sorted(set(items.values_list("child_id", flat=True))):
        case_event_record(
            child_id=child_id,
            category=CaseEvent.Category.MEETING,
            verb="tasking_discussed",
            summary=f"Discussed at the {tier} tasking meeting of {day}",
            obj=meeting,
            actor=actor,
            occurred_at=meeting.scheduled_for,
        )
    return meeting
