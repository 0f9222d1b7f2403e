from referrals.models.child import Child, ChildQuerySet, child_search_text
from referrals.models.imports import CaseImport
from referrals.models.missing import MissingEpisode, MissingEpisodeQuerySet, ReturnInterview
from referrals.models.notes import CaseNote
from referrals.models.nrm import Decision, NrmReferral, NrmReferralQuerySet
from referrals.models.philomena import PhilomenaProfile
from referrals.models.referral import Referral, ReferralQuerySet

__all__ = [
    "CaseImport",
    "CaseNote",
    "Child",
    "ChildQuerySet",
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
