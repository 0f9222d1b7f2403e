import datetime

import pghistory.models
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from cre_portal.concurrency import StaleEdit
from referrals.codes import RiskLevel
from risk_assessment.models import ProfessionalsMeeting
from risk_assessment.services import meetings as services
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_meetings import (
    ApprovedAssessmentFactory,
    CancelledMeetingFactory,
    ExternalAttendeeFactory,
    HeldMeetingFactory,
    HighRiskChildFactory,
    LowRiskChildFactory,
    MediumRiskChildFactory,
    ProfessionalsMeetingFactory,
    StartedMeetingFactory,
    cp_manager,
    in_days,
    service_manager,
)

pytestmark = pytest.mark.django_db

Status = ProfessionalsMeeting.Status
HIGH_CHAIR = "The chair of a meeting about a child at high risk must be a child protection manager"
MEDIUM_CHAIR = "The chair of a meeting about a child at medium risk must be a service manager"


@pytest.fixture
def child(social_worker):
    return HighRiskChildFactory(team=social_worker.team, allocated_worker=social_worker)


def book(child, actor, **overrides):
    details = {
        "scheduled_for": in_days(7),
        "location": "Room 2, County Hall",
        "chair": overrides.pop("chair", None) or cp_manager(),
        "child_invited": True,
        "parents_invited": False,
    }
    return services.meeting_book(child=child, actor=actor, **{**details, **overrides})


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Booking ------------------------------------------------------------------------------------
def test_book_records_the_meeting_at_the_childs_level_and_a_case_event(child, social_worker):
    # given: the child's latest approved assessment
    older = ApprovedAssessmentFactory(child=child, completed_on=datetime.date(2026, 1, 5))
    latest = ApprovedAssessmentFactory(child=child, completed_on=datetime.date(2026, 3, 5))
    chair = cp_manager()

    # when
    meeting = book(child, social_worker, chair=chair)

    # then
    assert (meeting.risk_level, meeting.chair, meeting.status) == (
        RiskLevel.HIGH,
        chair,
        "SCHEDULED",
    )
    assert meeting.assessment == latest != older
    assert (meeting.child_invited, meeting.parents_invited, meeting.created_by) == (
        True,
        False,
        social_worker,
    )
    event = CaseEvent.objects.get(verb="meeting_booked")
    assert (event.child_id, event.category, event.actor) == (child.pk, "MEETING", social_worker)
    assert event.summary.startswith("Professionals' meeting booked for ")
    assert event.summary.endswith("(high risk)")
    assert child.full_name not in event.summary


def test_high_risk_meeting_refuses_a_service_manager_as_chair(child, social_worker):
    with pytest.raises(ValidationError) as excinfo:
        book(child, social_worker, chair=service_manager())

    assert errors_of(excinfo) == {"chair": [HIGH_CHAIR]}
    assert not ProfessionalsMeeting.objects.exists()


def test_medium_risk_meeting_needs_a_service_manager(social_worker):
    child = MediumRiskChildFactory(team=social_worker.team)

    with pytest.raises(ValidationError) as excinfo:
        book(child, social_worker, chair=cp_manager())
    meeting = book(child, social_worker, chair=service_manager())

    assert errors_of(excinfo) == {"chair": [MEDIUM_CHAIR]}
    assert meeting.risk_level == RiskLevel.MEDIUM


def test_low_risk_meeting_may_be_chaired_by_anyone_who_books_meetings(social_worker):
    child = LowRiskChildFactory(team=social_worker.team)
    officer = UserFactory(roles=[Role.MISSING_OFFICER])

    meeting = book(child, social_worker, chair=social_worker)
    with pytest.raises(ValidationError) as excinfo:
        book(child, social_worker, chair=officer)

    assert meeting.chair == social_worker
    assert errors_of(excinfo) == {"chair": [services.LOW_CHAIR_MESSAGE]}


def test_an_inactive_cp_manager_cannot_chair(child, social_worker):
    with pytest.raises(ValidationError) as excinfo:
        book(child, social_worker, chair=cp_manager(is_active=False))

    assert errors_of(excinfo) == {"chair": [HIGH_CHAIR]}


def test_level_is_read_afresh_at_booking(child, social_worker):
    # given: the caller's copy says Medium, but an approval has since made the child High
    child.risk_level = RiskLevel.MEDIUM

    with pytest.raises(ValidationError) as excinfo:
        book(child, social_worker, chair=service_manager())

    assert errors_of(excinfo) == {"chair": [HIGH_CHAIR]}


def test_a_child_without_a_risk_level_cannot_have_a_meeting_booked(social_worker):
    child = ChildFactory(team=social_worker.team)

    with pytest.raises(ValidationError) as excinfo:
        book(child, social_worker)

    assert excinfo.value.messages == [services.NO_LEVEL]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"scheduled_for": in_days(0)},
            "scheduled_on",
            "The date and time of the meeting must be in the future",
        ),
        ({"location": "   "}, "location", "Enter where the meeting will be held"),
    ],
)
def test_book_refuses_a_past_time_and_no_location(child, social_worker, overrides, field, message):
    with pytest.raises(ValidationError) as excinfo:
        book(child, social_worker, **overrides)

    assert errors_of(excinfo) == {field: [message]}


@pytest.mark.parametrize("who", ["missing_officer", "other_team", "no_role"])
def test_book_is_refused_without_the_capability_or_the_child_in_scope(child, other_team, who):
    actor = {
        "missing_officer": lambda: UserFactory(roles=[Role.MISSING_OFFICER]),
        "other_team": lambda: UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER]),
        "no_role": lambda: UserFactory(),
    }[who]()

    with pytest.raises(PermissionDenied):
        book(child, actor)


def test_book_from_an_assessment_takes_its_level(child, social_worker):
    # given: a Medium assessment of a child who is now High
    assessment = ApprovedAssessmentFactory(child=child, level=RiskLevel.MEDIUM)

    meeting = book(child, social_worker, chair=service_manager(), assessment=assessment)

    assert (meeting.risk_level, meeting.assessment) == (RiskLevel.MEDIUM, assessment)


@pytest.mark.parametrize(
    "assessment_kwargs",
    [
        {"level": RiskLevel.LOW},
        {"status": "SUBMITTED", "level": RiskLevel.HIGH},
    ],
)
def test_book_from_a_low_or_unapproved_assessment_is_refused(
    child, social_worker, assessment_kwargs
):
    assessment = ApprovedAssessmentFactory(child=child, **assessment_kwargs)

    with pytest.raises(ValidationError, match="approved assessment of medium or high risk"):
        book(child, social_worker, assessment=assessment)


def test_book_from_another_childs_assessment_is_refused(child, social_worker):
    assessment = ApprovedAssessmentFactory(child=HighRiskChildFactory(team=social_worker.team))

    with pytest.raises(ValidationError, match="another child"):
        book(child, social_worker, assessment=assessment)


# --- Changing the booking -----------------------------------------------------------------------
def update(meeting, actor, **overrides):
    details = {
        "version": meeting.version,
        "scheduled_for": meeting.scheduled_for,
        "location": meeting.location,
        "chair": meeting.chair,
        "child_invited": meeting.child_invited,
        "parents_invited": meeting.parents_invited,
    }
    return services.meeting_update(meeting=meeting, actor=actor, **{**details, **overrides})


@pytest.fixture
def meeting(child):
    return ProfessionalsMeetingFactory(child=child)


def test_update_moves_the_meeting_bumps_the_version_and_keeps_history(meeting, social_worker):
    new_time = in_days(14)

    update(meeting, social_worker, scheduled_for=new_time, location="Video call")

    meeting.refresh_from_db()
    assert (meeting.scheduled_for, meeting.location, meeting.version) == (new_time, "Video call", 2)
    event = CaseEvent.objects.get(verb="meeting_updated")
    assert event.summary.startswith("Professionals' meeting moved to ")
    history = pghistory.models.Events.objects.tracks(meeting).filter(pgh_label="update")
    assert history.exists()


def test_update_keeps_the_chair_rule_of_the_level_at_booking(meeting, social_worker):
    with pytest.raises(ValidationError) as excinfo:
        update(meeting, social_worker, chair=service_manager())

    assert errors_of(excinfo) == {"chair": [HIGH_CHAIR]}


def test_update_from_a_stale_form_is_refused(meeting, social_worker):
    update(meeting, social_worker, location="Video call")

    with pytest.raises(StaleEdit) as excinfo:
        update(meeting, social_worker, version=1, location="Room 9")

    assert "location" in excinfo.value.message


def test_update_of_a_held_meeting_is_refused(social_worker, child):
    meeting = HeldMeetingFactory(child=child)

    with pytest.raises(ValidationError, match="has been held"):
        update(meeting, social_worker, scheduled_for=in_days(3))


# --- Attendees ----------------------------------------------------------------------------------
def test_add_a_colleague_and_an_outside_person(meeting, social_worker, team_manager):
    colleague = services.meeting_add_attendee(
        meeting=meeting, actor=social_worker, user=team_manager
    )
    outsider = services.meeting_add_attendee(
        meeting=meeting, actor=social_worker, name=" Sam Patel ", role="PC", agency="Police"
    )

    assert (colleague.user, colleague.name) == (team_manager, "")
    assert (outsider.user, outsider.name, outsider.agency) == (None, "Sam Patel", "Police")
    assert CaseEvent.objects.filter(verb="meeting_attendee_added").count() == 2
    assert "Sam Patel" not in CaseEvent.objects.first().summary


@pytest.mark.parametrize(
    ("who", "field", "message"),
    [
        ("nobody", "user", "Select a colleague, or enter the name of someone from another agency"),
        ("both", "name", "Select a colleague or enter the name of someone else, not both"),
        ("chair", "user", "is chairing this meeting"),
        ("twice", "user", "is already invited"),
    ],
)
def test_add_attendee_guards(meeting, social_worker, team_manager, who, field, message):
    if who == "twice":
        services.meeting_add_attendee(meeting=meeting, actor=social_worker, user=team_manager)
    kwargs = {
        "nobody": {},
        "both": {"user": team_manager, "name": "Sam Patel"},
        "chair": {"user": meeting.chair},
        "twice": {"user": team_manager},
    }[who]

    with pytest.raises(ValidationError) as excinfo:
        services.meeting_add_attendee(meeting=meeting, actor=social_worker, **kwargs)

    assert message in errors_of(excinfo)[field][0]


def test_no_attendee_is_added_to_a_cancelled_meeting(social_worker, child):
    meeting = CancelledMeetingFactory(child=child)

    with pytest.raises(ValidationError, match="cancelled"):
        services.meeting_add_attendee(meeting=meeting, actor=social_worker, name="Sam Patel")


# --- Recording ----------------------------------------------------------------------------------
def record(meeting, actor, **overrides):
    details = {
        "version": meeting.version,
        "child_attended": True,
        "parents_attended": False,
        "attended": [],
        "child_views": "I want to stay at my school.",
        "child_views_not_obtained": "",
        "decisions": "Refer to the youth service.",
        "minutes": "Everyone attended.",
    }
    return services.meeting_record(meeting=meeting, actor=actor, **{**details, **overrides})


def test_record_marks_the_meeting_held_with_attendance_and_a_significant_event(
    child, social_worker
):
    # given
    meeting = StartedMeetingFactory(child=child)
    came = ExternalAttendeeFactory(meeting=meeting)
    absent = ExternalAttendeeFactory(meeting=meeting)

    # when
    record(meeting, social_worker, attended=[came.pk])

    # then
    meeting.refresh_from_db()
    came.refresh_from_db()
    absent.refresh_from_db()
    assert (meeting.status, meeting.child_attended, meeting.version) == ("HELD", True, 2)
    assert (came.attended, absent.attended) == (True, False)
    event = CaseEvent.objects.get(verb="meeting_held")
    assert (event.category, event.is_significant) == ("MEETING", True)
    assert event.occurred_at == meeting.scheduled_for
    assert event.summary == "Professionals' meeting held (high risk); the child's views recorded"


def test_record_accepts_why_the_views_could_not_be_obtained(child, social_worker):
    meeting = StartedMeetingFactory(child=child)

    record(meeting, social_worker, child_views="", child_views_not_obtained="Unwell.")

    event = CaseEvent.objects.get(verb="meeting_held")
    assert event.summary.endswith("the child's views could not be obtained")


def test_record_needs_the_childs_views_or_why_not(child, social_worker):
    meeting = StartedMeetingFactory(child=child)

    with pytest.raises(ValidationError) as excinfo:
        record(meeting, social_worker, child_views=" ", child_views_not_obtained="")

    assert errors_of(excinfo) == {
        "child_views": ["Enter the child's views, or why they could not be obtained"]
    }


def test_a_meeting_cannot_be_recorded_before_it_starts(meeting, social_worker):
    with pytest.raises(ValidationError, match="once it has taken place"):
        record(meeting, social_worker)


def test_a_cancelled_meeting_cannot_be_recorded(child, social_worker):
    meeting = CancelledMeetingFactory(child=child, scheduled_for=in_days(-1))

    with pytest.raises(ValidationError, match="cancelled"):
        record(meeting, social_worker)


def test_correcting_the_record_is_not_a_second_held_event(child, social_worker):
    meeting = StartedMeetingFactory(child=child)
    record(meeting, social_worker)
    meeting.refresh_from_db()

    record(meeting, social_worker, minutes="Corrected.")

    assert CaseEvent.objects.filter(verb="meeting_held").count() == 1
    update_event = CaseEvent.objects.get(verb="meeting_record_updated")
    assert not update_event.is_significant


def test_record_from_a_stale_form_is_refused(child, social_worker):
    meeting = StartedMeetingFactory(child=child)
    record(meeting, social_worker)

    with pytest.raises(StaleEdit):
        record(meeting, social_worker, version=1)


# --- Cancelling ---------------------------------------------------------------------------------
def test_cancel_with_a_reason(meeting, social_worker):
    services.meeting_cancel(
        meeting=meeting, actor=social_worker, version=1, reason=services.CancelReason.REARRANGED
    )

    meeting.refresh_from_db()
    assert meeting.status == "CANCELLED"
    event = CaseEvent.objects.get(verb="meeting_cancelled")
    assert event.summary.endswith("cancelled: Rearranged for another date")
    assert services.cancellation_reason(meeting) == "Rearranged for another date"


def test_cancel_needs_a_known_reason_and_a_scheduled_meeting(meeting, child, social_worker):
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_cancel(meeting=meeting, actor=social_worker, version=1, reason="")
    held = HeldMeetingFactory(child=child)
    with pytest.raises(ValidationError, match="has been held"):
        services.meeting_cancel(meeting=held, actor=social_worker, version=1, reason="OTHER")

    assert errors_of(excinfo) == {"reason": ["Select why the meeting is cancelled"]}


def test_a_missing_officer_cannot_cancel(meeting):
    officer = UserFactory(roles=[Role.MISSING_OFFICER])

    with pytest.raises(PermissionDenied):
        services.meeting_cancel(meeting=meeting, actor=officer, version=1, reason="OTHER")
