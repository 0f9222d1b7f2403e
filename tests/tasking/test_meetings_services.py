"""Planning, attendance, minutes and holding a tasking meeting."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cre_portal.audit.models import CaseEvent
from cre_portal.concurrency import StaleEdit
from tasking.models import MeetingAttendance, TaskingMeeting
from tasking.services.meetings import (
    agenda_item_minutes,
    meeting_create,
    meeting_hold,
    meeting_record_attendance,
    meeting_update,
)
from tests.referrals.factories import ChildFactory
from tests.tasking.factories import GroupMembershipFactory, TaskingGroupFactory
from tests.tasking.factories_meetings import (
    AgendaItemFactory,
    HeldMeetingFactory,
    PublishedMeetingFactory,
    TaskingMeetingFactory,
    in_days,
    put_on_agenda,
)

pytestmark = pytest.mark.django_db
Status = TaskingMeeting.Status


# --- Planning -------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["chair", "manager"])
def test_the_chair_or_a_manager_of_groups_plans_a_meeting(who, admin_user):
    group = TaskingGroupFactory()
    actor = group.chair if who == "chair" else admin_user

    meeting = meeting_create(
        group=group, scheduled_for=in_days(7), location=" County Hall ", actor=actor
    )

    assert (meeting.status, meeting.location, meeting.version) == (Status.PLANNED, "County Hall", 1)


def test_a_member_does_not_plan_meetings():
    group = TaskingGroupFactory()
    member = GroupMembershipFactory(group=group).user

    with pytest.raises(PermissionDenied):
        meeting_create(group=group, scheduled_for=in_days(7), location="Hall", actor=member)


def test_an_inactive_group_plans_no_meetings():
    group = TaskingGroupFactory(is_active=False)

    with pytest.raises(PermissionDenied):
        meeting_create(group=group, scheduled_for=in_days(7), location="Hall", actor=group.chair)


def test_a_meeting_is_planned_for_the_future_somewhere():
    group = TaskingGroupFactory()

    with pytest.raises(ValidationError) as error:
        meeting_create(group=group, scheduled_for=in_days(-1), location=" ", actor=group.chair)

    assert error.value.message_dict == {
        "scheduled_on": ["The date and time of the meeting must be in the future"],
        "location": ["Enter where the meeting will be held"],
    }


def test_moving_a_meeting_is_versioned():
    meeting = TaskingMeetingFactory()
    chair = meeting.group.chair
    meeting_update(
        meeting=meeting, scheduled_for=in_days(8), location="Room 3", version=1, actor=chair
    )

    with pytest.raises(StaleEdit) as stale:
        meeting_update(
            meeting=meeting, scheduled_for=in_days(9), location="Room 4", version=1, actor=chair
        )

    assert stale.value.changed_fields == ["location", "scheduled for"]
    meeting.refresh_from_db()
    assert (meeting.location, meeting.version) == ("Room 3", 2)


def test_a_held_meeting_is_not_moved():
    meeting = HeldMeetingFactory()

    with pytest.raises(ValidationError):
        meeting_update(
            meeting=meeting,
            scheduled_for=in_days(3),
            location="x",
            version=1,
            actor=meeting.group.chair,
        )


# --- Attendance and minutes -----------------------------------------------------------------------
def test_attendance_of_the_chair_and_current_members():
    # given
    meeting = PublishedMeetingFactory()
    came, absent = (GroupMembershipFactory(group=meeting.group).user for _ in range(2))
    GroupMembershipFactory(group=meeting.group, left_on=timezone.localdate())  # former

    # when
    meeting_record_attendance(
        meeting=meeting, attended=[came.pk, meeting.group.chair.pk], actor=meeting.group.chair
    )

    # then
    rows = dict(MeetingAttendance.objects.values_list("user", "attended"))
    assert rows == {meeting.group.chair.pk: True, came.pk: True, absent.pk: False}


def test_attendance_waits_for_the_published_agenda():
    meeting = TaskingMeetingFactory()

    with pytest.raises(ValidationError):
        meeting_record_attendance(meeting=meeting, attended=[], actor=meeting.group.chair)


def test_minutes_of_an_item():
    item = AgendaItemFactory(meeting=PublishedMeetingFactory())

    agenda_item_minutes(item=item, minutes=" Police to visit ", actor=item.meeting.group.chair)

    item.refresh_from_db()
    assert item.minutes == "Police to visit"


@pytest.mark.parametrize("case", ["planned", "left off", "member"])
def test_minutes_refused(case):
    meeting = TaskingMeetingFactory() if case == "planned" else PublishedMeetingFactory()
    item = AgendaItemFactory(meeting=meeting, is_included=case != "left off")
    actor = (
        GroupMembershipFactory(group=meeting.group).user
        if case == "member"
        else meeting.group.chair
    )
    error = PermissionDenied if case == "member" else ValidationError

    with pytest.raises(error):
        agenda_item_minutes(item=item, minutes="x", actor=actor)


# --- Holding it -----------------------------------------------------------------------------------
def test_holding_the_meeting_goes_on_each_childs_chronology():
    # given
    meeting = PublishedMeetingFactory()
    on, off = ChildFactory(), ChildFactory()
    put_on_agenda(meeting, child=on)
    put_on_agenda(meeting, child=off, is_included=False)

    # when
    meeting_hold(meeting=meeting, actor=meeting.group.chair)

    # then
    meeting.refresh_from_db()
    assert meeting.status == Status.HELD
    event = CaseEvent.objects.get()
    assert (event.child_id, event.verb) == (on.pk, "tasking_discussed")
    assert event.summary.startswith("Discussed at the operational tasking meeting of ")


def test_a_meeting_is_held_once_it_has_started_and_its_agenda_is_out():
    future = PublishedMeetingFactory(scheduled_for=in_days(1))
    planned = TaskingMeetingFactory(scheduled_for=in_days(-1))

    for meeting in (future, planned):
        with pytest.raises(ValidationError):
            meeting_hold(meeting=meeting, actor=meeting.group.chair)


def test_only_the_chair_holds_the_meeting(admin_user):
    meeting = PublishedMeetingFactory()

    with pytest.raises(PermissionDenied):
        meeting_hold(meeting=meeting, actor=admin_user)
