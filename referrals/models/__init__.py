from referrals.models.child import Child, ChildQuerySet, child_search_text
from referrals.models.imports import CaseImport
from referrals.models.missing import MissingEpisode, MissingEpisodeQuerySet, ReturnInterview
from referrals.models.notes import CaseNote
from referrals.models.nrm import Decision, NrmReferral, NrmReferralQuerySet
from referrals.models.philomena import PhilomenaProfile
from referrals.models.referral import Referral, ReferralQuerySet
from referrals.models.sharing import ChildShare

__all__ = [
    "CaseImport",
    "CaseNote",
    "Child",
    "ChildQuerySet",
    "ChildShare",
    "Decision",
    "MissingEpisode",
    "MissingEpisodeQuerySet",
    "NrmReferral",
    "NrmReferralQuerySet",
    "PhilomenaProfile",
    "Referral",
    "ReferralQuerySet",
    "ReturnInterview",
    "child_search_text",
]
