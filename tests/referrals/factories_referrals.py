"""Referrals and case notes in each state, with the chronology events their services write."""

import datetime

import factory
from django.utils import timezone

from referrals.codes import CareStatus, ExploitationType, ReferralSource
from referrals.models import CaseNote, Referral
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral awaiting screening (the factory writes no chronology event)."""

    class Meta:
        model = Referral

    referral_ref = factory.Sequence(lambda n: f"REF-TEST-{n:05d}")
    child = factory.SubFactory(ChildFactory)
    received_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    source = ReferralSource.SCHOOL
    exploitation_type = ExploitationType.CCE
    concerns = "Seen with older males near the station after school."
    care_status = factory.LazyAttribute(lambda o: o.child.care_status)
    looked_after = factory.LazyAttribute(lambda o: o.child.care_status == CareStatus.LAC)
    legal_status = factory.LazyAttribute(
        lambda o: o.child.legal_status if o.child.care_status == CareStatus.LAC else ""
    )
    placing_authority = factory.LazyAttribute(
        lambda o: o.child.placing_authority if o.child.care_status == CareStatus.LAC else ""
    )


class AcceptedReferralFactory(ReferralFactory):
    status = Referral.Status.ACCEPTED
    screened_on = factory.LazyAttribute(lambda o: o.received_on + datetime.timedelta(days=1))
    screened_by = factory.SubFactory(UserFactory)
    screening_rationale = "Several indicators of criminal exploitation."


class NoFurtherActionReferralFactory(AcceptedReferralFactory):
    status = Referral.Status.NO_FURTHER_ACTION
    screening_rationale = "No exploitation concerns once checked with school."


class ClosedReferralFactory(AcceptedReferralFactory):
    status = Referral.Status.CLOSED
    closed_on = factory.LazyAttribute(lambda o: o.screened_on + datetime.timedelta(days=1))
    closure_reason = Referral.ClosureReason.RISK_REDUCED


class CaseNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseNote

    child = factory.SubFactory(ChildFactory)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=2))
    title = "Home visit"
    text = factory.Faker("paragraph")
    author = factory.SubFactory(UserFactory)
