"""Professionals' meetings in each state, their attendees and actions, and approved assessments.

Times are relative to now, because whether a meeting can be recorded depends on the clock. The
child of a meeting is at the meeting's level, and its chair holds the role that level calls for.
"""

import datetime

import factory
from django.utils import timezone

from cre_portal.accounts.roles import Role
from referrals.codes import ExploitationType, RiskLevel
from risk_assessment.models import (
    Assessment,
    MeetingAction,
    MeetingAttendee,
    ProfessionalsMeeting,
)
from tests.accounts.factories import UserFactory, plain_name
from tests.referrals.factories import ChildFactory

Status = ProfessionalsMeeting.Status


def in_days(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


class HighRiskChildFactory(ChildFactory):
    risk_level = RiskLevel.HIGH
    risk_assessed_on = factory.LazyFunction(lambda: timezone.localdate())


class MediumRiskChildFactory(HighRiskChildFactory):
    risk_level = RiskLevel.MEDIUM


class LowRiskChildFactory(HighRiskChildFactory):
    risk_level = RiskLevel.LOW


def cp_manager(**kwargs):
    return UserFactory(roles=[Role.CP_MANAGER], **kwargs)


def service_manager(**kwargs):
    return UserFactory(roles=[Role.SERVICE_MANAGER], **kwargs)


class ApprovedAssessmentFactory(factory.django.DjangoModelFactory):
    """An approved High assessment, made with the model directly (no answers)."""

    class Meta:
        model = Assessment

    assessment_ref = factory.Sequence(lambda n: f"A{200000 + n}")
    child = factory.SubFactory(HighRiskChildFactory)
    origin = Assessment.Origin.REFERRAL
    exploitation_type = ExploitationType.CCE
    score = 18
    computed_level = RiskLevel.HIGH
    level = RiskLevel.HIGH
    status = Assessment.Status.APPROVED
    completed_on = factory.LazyFunction(lambda: timezone.localdate())


class ProfessionalsMeetingFactory(factory.django.DjangoModelFactory):
    """A meeting about a high-risk child next week, chaired by a CP manager."""

    class Meta:
        model = ProfessionalsMeeting

    child = factory.SubFactory(HighRiskChildFactory)
    risk_level = RiskLevel.HIGH
    scheduled_for = factory.LazyFunction(lambda: in_days(7))
    location = "Room 2, County Hall"
    chair = factory.SubFactory(UserFactory, roles=[Role.CP_MANAGER])
    status = Status.SCHEDULED


class StartedMeetingFactory(ProfessionalsMeetingFactory):
    """Booked for an hour ago: it can be recorded now."""

    scheduled_for = factory.LazyFunction(lambda: in_days(0) - datetime.timedelta(hours=1))


class HeldMeetingFactory(StartedMeetingFactory):
    status = Status.HELD
    child_attended = True
    parents_attended = False
    child_views = "I want to stay at my school."
    decisions = "Refer to the youth service."
    minutes = "The chair welcomed everyone."


class CancelledMeetingFactory(ProfessionalsMeetingFactory):
    status = Status.CANCELLED


class ExternalAttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAttendee

    meeting = factory.SubFactory(ProfessionalsMeetingFactory)
    name = plain_name()
    role = "Designated safeguarding lead"
    agency = "Hillside Academy"


class MeetingActionFactory(factory.django.DjangoModelFactory):
    """An open action from a held meeting, owned by a colleague, due in a fortnight."""

    class Meta:
        model = MeetingAction

    meeting = factory.SubFactory(HeldMeetingFactory)
    description = "Arrange a mentor through the youth service."
    owner = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
