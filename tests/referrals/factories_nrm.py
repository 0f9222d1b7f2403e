"""NRM referrals in each state of the process. Dates are in the past, in 2026."""

import datetime

import factory

from referrals.models import Decision, NrmReferral
from tests.referrals.factories import ChildFactory

Status = NrmReferral.Status


class NrmReferralFactory(factory.django.DjangoModelFactory):
    """Considered, not yet referred."""

    class Meta:
        model = NrmReferral

    child = factory.SubFactory(ChildFactory)
    status = Status.CONSIDERED
    considered_on = datetime.date(2026, 3, 23)


class ReferredNrmReferralFactory(NrmReferralFactory):
    """Referred on Friday 27 March 2026, before Easter: decision due Tuesday 7 April 2026."""

    status = Status.REFERRED
    referred_on = datetime.date(2026, 3, 27)
    first_responder_organisation = "Northshire Police"


class RecoveryNrmReferralFactory(ReferredNrmReferralFactory):
    """Positive reasonable grounds decision on 2 April 2026: recovery period to 2 May 2026."""

    status = Status.RECOVERY
    reasonable_grounds_decision = Decision.POSITIVE
    reasonable_grounds_on = datetime.date(2026, 4, 2)


class NegativeReasonableGroundsNrmReferralFactory(ReferredNrmReferralFactory):
    status = Status.RG_NEGATIVE
    reasonable_grounds_decision = Decision.NEGATIVE
    reasonable_grounds_on = datetime.date(2026, 4, 2)


class ConcludedNrmReferralFactory(RecoveryNrmReferralFactory):
    status = Status.CONCLUDED
    conclusive_grounds_decision = Decision.POSITIVE
    conclusive_grounds_on = datetime.date(2026, 6, 1)


class NegativeConclusiveGroundsNrmReferralFactory(ConcludedNrmReferralFactory):
    conclusive_grounds_decision = Decision.NEGATIVE


class ReconsiderationNrmReferralFactory(NegativeConclusiveGroundsNrmReferralFactory):
    """Reconsideration of the negative conclusive grounds decision requested on 8 June 2026."""

    status = Status.RECONSIDERATION
    reconsideration_requested_on = datetime.date(2026, 6, 8)


class WithdrawnNrmReferralFactory(ReferredNrmReferralFactory):
    status = Status.WITHDRAWN
    withdrawn_on = datetime.date(2026, 3, 30)
