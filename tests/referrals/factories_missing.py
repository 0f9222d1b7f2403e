"""Missing episodes, return home interviews and Philomena profiles, in the states tests need."""

import datetime

import factory
from django.utils import timezone

from referrals.codes import MissingKind, PoliceRisk, RhiOffered
from referrals.models import MissingEpisode, PhilomenaProfile, ReturnInterview
from tests.referrals.factories import ChildFactory, LookedAfterChildFactory


class MissingEpisodeFactory(factory.django.DjangoModelFactory):
    """Still missing: went missing a day ago."""

    class Meta:
        model = MissingEpisode

    episode_ref = factory.Sequence(lambda n: f"MISS-T{n:07d}")
    child = factory.SubFactory(ChildFactory)
    kind = MissingKind.MISSING
    started_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    police_risk = PoliceRisk.MEDIUM


class ReturnedEpisodeFactory(MissingEpisodeFactory):
    """Back 10 hours after going missing; the interview clock is running."""

    ended_at = factory.LazyAttribute(lambda o: o.started_at + datetime.timedelta(hours=10))
    where_found = "At a friend's flat"
    rhi_offered = RhiOffered.YES


class ReturnInterviewFactory(factory.django.DjangoModelFactory):
    """Completed two hours after the return, no indicators found."""

    class Meta:
        model = ReturnInterview

    episode = factory.SubFactory(ReturnedEpisodeFactory, rhi_accepted=True)
    completed_at = factory.LazyAttribute(lambda o: o.episode.ended_at + datetime.timedelta(hours=2))
    interviewer_name = "Sam Jones"
    interviewer_role = "Return interview worker"
    interviewer_agency = "Children's Society"
    push_factors = "Arguments at home"
    child_words = "I just wanted to see my mates"


class PositiveReturnInterviewFactory(ReturnInterviewFactory):
    """The CRE screen found indicators."""

    exploitation_indicators = ["OLDER_ASSOCIATES", "TRAVEL_OUT_OF_AREA"]


class PhilomenaProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhilomenaProfile

    child = factory.SubFactory(LookedAfterChildFactory)
    physical_description = "Slim, about 5ft 4, dark curly hair"
    places_frequented = "Town centre bus station"
