"""Catalogue entries, approved assessments to propose from, and offer items in each state.

The approved assessment is built straight from the model (imported-history style, no template or
answers): the Offer needs only its child, level and date. Dates are in the past, in 2026.
"""

import datetime

import factory

from referrals.codes import ExploitationType, RiskLevel
from risk_assessment.models import Assessment, Intervention, InterventionCategory, OfferItem
from tests.referrals.factories import ChildFactory

Status = OfferItem.Status


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    name = factory.Sequence(lambda n: f"Test support {n}")
    category = InterventionCategory.SPECIALIST
    description = "Support used in tests."
    levels = factory.LazyFunction(lambda: [RiskLevel.HIGH])
    default_provider = "Northshire exploitation service"
    is_active = True


class ApprovedAssessmentFactory(factory.django.DjangoModelFactory):
    """Approved High on 2 March 2026."""

    class Meta:
        model = Assessment

    assessment_ref = factory.Sequence(lambda n: f"CRE-OFFER-{n:05d}")
    child = factory.SubFactory(ChildFactory)
    origin = Assessment.Origin.REFERRAL
    exploitation_type = ExploitationType.CCE
    computed_level = RiskLevel.HIGH
    level = factory.SelfAttribute("computed_level")
    status = Assessment.Status.APPROVED
    completed_on = datetime.date(2026, 3, 2)
    decided_at = factory.LazyFunction(
        lambda: datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC)
    )


class OfferItemFactory(factory.django.DjangoModelFactory):
    """Proposed by an approved assessment of the same child."""

    class Meta:
        model = OfferItem

    assessment = factory.SubFactory(ApprovedAssessmentFactory)
    child = factory.SelfAttribute("assessment.child")
    intervention = factory.SubFactory(InterventionFactory)
    provider = factory.SelfAttribute("intervention.default_provider")


class OfferedOfferItemFactory(OfferItemFactory):
    status = Status.OFFERED
    offered_on = datetime.date(2026, 3, 4)


class AcceptedOfferItemFactory(OfferedOfferItemFactory):
    status = Status.ACCEPTED
    responded_on = datetime.date(2026, 3, 6)


class DeclinedOfferItemFactory(OfferedOfferItemFactory):
    status = Status.DECLINED
    responded_on = datetime.date(2026, 3, 6)
    outcome = "Said they did not need it."


class DeliveredOfferItemFactory(AcceptedOfferItemFactory):
    status = Status.DELIVERED
    started_on = datetime.date(2026, 3, 10)


class EndedOfferItemFactory(DeliveredOfferItemFactory):
    status = Status.ENDED
    ended_on = datetime.date(2026, 5, 29)
    outcome = "Attending school full time again."


class NotOfferedOfferItemFactory(OfferItemFactory):
    status = Status.WITHDRAWN
    outcome = "Already gets this from the youth offending service."
