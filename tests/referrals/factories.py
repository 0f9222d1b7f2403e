import datetime

import factory

from referrals.codes import CareStatus, Ethnicity, LegalStatus, PlacementType, Sex
from referrals.models import Child
from tests.accounts.factories import TeamFactory, plain_name


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    child_ref = factory.Sequence(lambda n: f"C{100000 + n}")
    first_name = plain_name("first_name")
    last_name = plain_name("last_name")
    date_of_birth = factory.Faker(
        "date_between", start_date=datetime.date(2009, 1, 1), end_date=datetime.date(2013, 12, 31)
    )
    sex = Sex.FEMALE
    ethnicity = Ethnicity.WBRI
    care_status = CareStatus.CIN
    team = factory.SubFactory(TeamFactory)


class LookedAfterChildFactory(ChildFactory):
    care_status = CareStatus.LAC
    legal_status = LegalStatus.C2
    placement_type = PlacementType.K2


class PlacedInChildFactory(LookedAfterChildFactory):
    legal_status = LegalStatus.V2
    placing_authority = "Southdale Borough Council"
