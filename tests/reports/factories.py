"""Records the report counts, with the dates the figures tests need to place them in a period.

Children, referrals, missing episodes and NRM referrals come from the referrals factories; this
adds completed assessments, held meetings and feedback answers, built straight from the models
(the risk_assessment services are tested in their own app). `created_at` is set on insert, so
helpers that need a particular one update it afterwards.
"""

import datetime
import secrets

import factory
from django.utils import timezone

from referrals.codes import ExploitationType, LegalStatus, RiskLevel
from risk_assessment.models import (
    Assessment,
    FeedbackLink,
    FeedbackResponse,
    ProfessionalsMeeting,
)
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_referrals import ReferralFactory


class ApprovedAssessmentFactory(factory.django.DjangoModelFactory):
    """Approved at Medium on 1 June 2025."""

    class Meta:
        model = Assessment

    assessment_ref = factory.Sequence(lambda n: f"ASSESS-T{n:06d}")
    child = factory.SubFactory(ChildFactory)
    origin = Assessment.Origin.REFERRAL
    exploitation_type = ExploitationType.CCE
    score = 6
    computed_level = RiskLevel.MEDIUM
    level = factory.LazyAttribute(lambda o: o.computed_level)
    status = Assessment.Status.APPROVED
    completed_on = datetime.date(2025, 6, 1)


class ImportedAssessmentFactory(ApprovedAssessmentFactory):
    """Historical outcome from the data exchange import: a level and a date, no answers."""

    origin = Assessment.Origin.IMPORT
    score = None
    computed_level = ""
    level = RiskLevel.HIGH
    status = Assessment.Status.DRAFT


class SubmittedAssessmentFactory(ApprovedAssessmentFactory):
    """Waiting for a manager: has a level but isn't complete."""

    status = Assessment.Status.SUBMITTED
    completed_on = None


class HeldMeetingFactory(factory.django.DjangoModelFactory):
    """Held at 10:00 on 10 June 2025; the child's views recorded; nobody's attendance noted."""

    class Meta:
        model = ProfessionalsMeeting

    child = factory.SubFactory(ChildFactory)
    risk_level = RiskLevel.MEDIUM
    scheduled_for = datetime.datetime(2025, 6, 10, 9, 0, tzinfo=datetime.UTC)
    chair = factory.SubFactory(UserFactory)
    status = ProfessionalsMeeting.Status.HELD
    child_views = "Wants the meetings after school."


class FeedbackLinkFactory(factory.django.DjangoModelFactory):
    """Sent to a parent after a child protection conference."""

    class Meta:
        model = FeedbackLink

    token_hash = factory.LazyFunction(lambda: secrets.token_hex(32))
    child = factory.SubFactory(ChildFactory)
    meeting_kind = FeedbackLink.MeetingKind.CP
    meeting_on = datetime.date(2025, 6, 1)
    respondent = FeedbackLink.Respondent.PARENT
    created_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


class FeedbackResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackResponse

    link = factory.SubFactory(FeedbackLinkFactory)
    listened_to = FeedbackResponse.Rating.MOSTLY
    understood = FeedbackResponse.Rating.MOSTLY
    helped = FeedbackResponse.Rating.MOSTLY


def created(record, at: datetime.datetime):
    """Move a record's creation time (set on insert) to `at`."""
    type(record).objects.filter(pk=record.pk).update(created_at=at)
    record.refresh_from_db()
    return record


def feedback_answered(at: datetime.datetime, *, respondent: str, ratings: tuple[int, int, int]):
    listened_to, understood, helped = ratings
    response = FeedbackResponseFactory(
        link__respondent=respondent, listened_to=listened_to, understood=understood, helped=helped
    )
    return created(response, at)


def referral(child, received_on: datetime.date, exploitation_type=ExploitationType.CCE, **kwargs):
    """A referral of `child`, not looked after unless given a legal status."""
    legal_status = kwargs.pop("legal_status", "")
    return ReferralFactory(
        child=child,
        received_on=received_on,
        exploitation_type=exploitation_type,
        care_status="",
        looked_after=bool(legal_status),
        legal_status=legal_status,
        placing_authority=kwargs.pop("placing_authority", ""),
        **kwargs,
    )


def looked_after_referral(child, received_on: datetime.date, **kwargs):
    kwargs.setdefault("legal_status", LegalStatus.C2)
    return referral(child, received_on, **kwargs)
