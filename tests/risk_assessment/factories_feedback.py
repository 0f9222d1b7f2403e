"""Feedback links in each state (waiting, answered, expired) and the meetings they are about.

Dates are relative to now, because whether a link is open depends on the clock. A test that
needs the token itself makes the link with `link_with_token`: the database holds only its hash.
"""

import datetime
import secrets

import factory
from django.utils import timezone

from referrals.codes import RiskLevel
from risk_assessment.models import FeedbackLink, FeedbackResponse, ProfessionalsMeeting
from risk_assessment.permissions.feedback import token_digest
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory

Kind = FeedbackLink.MeetingKind
Respondent = FeedbackLink.Respondent
Rating = FeedbackResponse.Rating


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


class HeldMeetingFactory(factory.django.DjangoModelFactory):
    """A professionals' meeting held a week ago."""

    class Meta:
        model = ProfessionalsMeeting

    child = factory.SubFactory(ChildFactory)
    risk_level = RiskLevel.MEDIUM
    scheduled_for = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    chair = factory.SubFactory(UserFactory)
    status = ProfessionalsMeeting.Status.HELD


class FeedbackLinkFactory(factory.django.DjangoModelFactory):
    """Sent today to a parent after a CP conference a week ago; waiting for answers."""

    class Meta:
        model = FeedbackLink
        skip_postgeneration_save = True

    token_hash = factory.LazyFunction(lambda: token_digest(secrets.token_urlsafe(32)))
    child = factory.SubFactory(ChildFactory)
    meeting_kind = Kind.CP
    meeting_on = factory.LazyFunction(lambda: days_ago(7))
    respondent = Respondent.PARENT
    created_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


class ProfessionalsMeetingFeedbackLinkFactory(FeedbackLinkFactory):
    meeting_kind = Kind.PROFESSIONALS
    meeting = factory.SubFactory(HeldMeetingFactory, child=factory.SelfAttribute("..child"))


class ExpiredFeedbackLinkFactory(FeedbackLinkFactory):
    expires_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1))


class FeedbackResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackResponse

    link = factory.SubFactory(FeedbackLinkFactory, used_at=factory.LazyFunction(timezone.now))
    listened_to = Rating.MOSTLY
    understood = Rating.COMPLETELY
    helped = Rating.A_LITTLE
    comments = ""


class AnsweredFeedbackLinkFactory(FeedbackLinkFactory):
    used_at = factory.LazyFunction(timezone.now)
    response = factory.RelatedFactory(FeedbackResponseFactory, factory_related_name="link")


def link_with_token(factory_class=FeedbackLinkFactory, **kwargs) -> tuple[FeedbackLink, str]:
    """A link and the token that opens it (made here, as the service would, then hashed)."""
    token = secrets.token_urlsafe(32)
    return factory_class(token_hash=token_digest(token), **kwargs), token
