"""Synthetic demo people: teams, one account per role and a believable caseload of children."""

import datetime
import random

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from faker import Faker

from cre_portal.accounts.models import Agency, Team, User
from cre_portal.accounts.roles import Role
from referrals.codes import CareStatus, Ethnicity, LegalStatus, PlacementType, Sex
from referrals.models import Child

DEMO_DOMAIN = "demo.cre-portal.invalid"
CHILD_COUNT = 240
SEED = 2026

TEAMS = [
    ("North exploitation team", Agency.CHILDRENS_SOCIAL_CARE),
    ("South exploitation team", Agency.CHILDRENS_SOCIAL_CARE),
    ("Missing children team", Agency.CHILDRENS_SOCIAL_CARE),
    ("Police exploitation unit", Agency.POLICE),
]

CSC = Agency.CHILDRENS_SOCIAL_CARE
# email local part, full name, role, team index (None = no team), agency
ACCOUNTS = [
    ("social.worker", "Sam Social-Worker", Role.SOCIAL_WORKER, 0, CSC),
    ("social.worker.south", "Sol South", Role.SOCIAL_WORKER, 1, CSC),
    ("team.manager", "Tam Team-Manager", Role.TEAM_MANAGER, 0, CSC),
    (
        "service.manager",
        "Sid Service-Manager",
        Role.SERVICE_MANAGER,
        None,
        CSC,
    ),
    ("cp.manager", "Cat CP-Manager", Role.CP_MANAGER, None, CSC),
    (
        "missing.officer",
        "Mo Missing-Officer",
        Role.MISSING_OFFICER,
        2,
        CSC,
    ),
    ("tasking.chair", "Tas Tasking-Chair", Role.TASKING_CHAIR, None, CSC),
    ("partner", "Pat Partner", Role.PARTNER_MEMBER, 3, Agency.POLICE),
    ("analyst", "Ana Analyst", Role.ANALYST, None, CSC),
    ("director", "Dee Director", Role.DIRECTOR, None, CSC),
    ("administrator", "Ade Administrator", Role.ADMINISTRATOR, None, CSC),
]

CARE_STATUS_WEIGHTS: dict[str, int] = {
    CareStatus.LAC: 35,
    CareStatus.CP: 20,
    CareStatus.CIN: 30,
    CareStatus.EARLY_HELP: 10,
    CareStatus.NONE: 5,
}
ETHNICITY_WEIGHTS: dict[str, int] = {
    Ethnicity.WBRI: 62, Ethnicity.WOTH: 4, Ethnicity.WROM: 1, Ethnicity.MWBC: 7, Ethnicity.MWBA: 2,
    Ethnicity.MOTH: 3, Ethnicity.APKN: 4, Ethnicity.AIND: 2, Ethnicity.ABAN: 1, Ethnicity.BCRB: 4,
    Ethnicity.BAFR: 5, Ethnicity.OOTH: 2, Ethnicity.NOBT: 2, Ethnicity.REFU: 1,
}  # fmt: skip
LAC_LEGAL = [LegalStatus.C2] * 6 + [LegalStatus.V2] * 3 + [LegalStatus.C1, LegalStatus.J1]
LAC_PLACEMENTS = [PlacementType.U6] * 4 + [PlacementType.K2] * 3 + [
    PlacementType.H5, PlacementType.U4, PlacementType.K1, PlacementType.P1,
]  # fmt: skip
PLACING_AUTHORITIES = ["Southdale Borough Council", "Eastmoor City Council", "Westfield Council"]


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@transaction.atomic
def seed_accounts(password: str) -> list[User]:
    """One demo account per role; passwords are reset to the given one on every run."""
    teams = [Team.objects.get_or_create(name=n, defaults={"agency": a})[0] for n, a in TEAMS]
    users = []
    for local, name, role, team_index, agency in ACCOUNTS:
        user, _ = User.objects.get_or_create(
            email=f"{local}@{DEMO_DOMAIN}",
            defaults={"full_name": name, "agency": agency, "is_demo": True},
        )
        user.team = teams[team_index] if team_index is not None else None
        user.is_staff = role == Role.ADMINISTRATOR
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        users.append(user)
    return users


def demo_child(rng: random.Random, fake: Faker, index: int, workers: list[User]) -> Child:
    """One synthetic child; LAC children get a legal status and some are placed in."""
    today = timezone.localdate()
    sex = Sex.MALE if rng.random() < 0.6 else Sex.FEMALE
    care_status = weighted(rng, CARE_STATUS_WEIGHTS)
    worker = rng.choice(workers)
    child = Child(
        child_ref=f"DEMO-{index:05d}",
        first_name=fake.first_name_male() if sex == Sex.MALE else fake.first_name_female(),
        last_name=fake.last_name(),
        date_of_birth=today - datetime.timedelta(days=rng.randint(10 * 365, 18 * 365)),
        sex=sex,
        ethnicity=weighted(rng, ETHNICITY_WEIGHTS),
        care_status=care_status,
        allocated_worker=worker,
        team=worker.team,
    )
    if rng.random() < 0.15:
        child.known_as = [fake.first_name()]
    if care_status == CareStatus.LAC:
        child.legal_status = rng.choice(LAC_LEGAL)
        child.placement_type = rng.choice(LAC_PLACEMENTS)
        if rng.random() < 0.2:
            child.placing_authority = rng.choice(PLACING_AUTHORITIES)
    child.derive_search_text()
    return child


@transaction.atomic
def seed_children(workers: list[User], count: int = CHILD_COUNT) -> int:
    """Create the synthetic caseload; existing demo children are left as they are."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    fake = Faker("en_GB")
    fake.seed_instance(SEED)
    children = [demo_child(rng, fake, i, workers) for i in range(1, count + 1)]
    created = Child.objects.bulk_create(children, ignore_conflicts=True)
    return len(created)
