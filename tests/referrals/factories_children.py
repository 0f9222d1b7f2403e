"""Children in the states the find/add/edit tests need, and the answers the forms take."""

import datetime

from referrals.codes import CareStatus, Ethnicity, LegalStatus, PlacementType, Sex
from tests.referrals.factories import ChildFactory


class RestrictedChildFactory(ChildFactory):
    is_restricted = True


def record_fields(**overrides) -> dict:
    """What `child_create` takes for an ordinary child in need."""
    fields = {
        "first_name": "Jayden",
        "last_name": "Smith",
        "date_of_birth": datetime.date(2012, 3, 12),
        "sex": Sex.MALE,
        "ethnicity": Ethnicity.WBRI,
        "care_status": CareStatus.CIN,
    }
    return {**fields, **overrides}


def looked_after_fields(**overrides) -> dict:
    fields = record_fields(
        care_status=CareStatus.LAC, legal_status=LegalStatus.C2, placement_type=PlacementType.K2
    )
    return {**fields, **overrides}


def details_post(**overrides) -> dict:
    """Step 2 of adding a child (or the shared part of the edit form) as a browser posts it."""
    data = {
        "known_as": "",
        "sex": Sex.MALE,
        "gender_identity": "",
        "ethnicity": Ethnicity.WBRI,
        "care_status": CareStatus.CIN,
        "legal_status": "",
        "placement_type": "",
        "placed_by_other_authority": "",
        "placing_authority": "",
        "allocated_worker": "",
    }
    return {**data, **overrides}


def edit_post(child, **overrides) -> dict:
    """The edit form for `child` submitted unchanged, with `overrides` typed in."""
    data = details_post(
        first_name=child.first_name,
        last_name=child.last_name,
        date_of_birth_0=str(child.date_of_birth.day),
        date_of_birth_1=str(child.date_of_birth.month),
        date_of_birth_2=str(child.date_of_birth.year),
        known_as="\n".join(child.known_as),
        sex=child.sex,
        gender_identity=child.gender_identity,
        ethnicity=child.ethnicity,
        care_status=child.care_status,
        legal_status=child.legal_status,
        placement_type=child.placement_type,
        placed_by_other_authority=("yes" if child.placing_authority else "no")
        if child.care_status == CareStatus.LAC
        else "",
        placing_authority=child.placing_authority,
        allocated_worker=str(child.allocated_worker_id or ""),
        version=str(child.version),
    )
    if child.team_id:
        data["team"] = str(child.team_id)
    if child.is_restricted:
        data["is_restricted"] = "on"
    data.update(overrides)
    return data
