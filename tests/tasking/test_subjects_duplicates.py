"""Before a subject is added: likely duplicates anywhere, shown only as far as the user may see."""

import pytest

from cre_portal.accounts.roles import Role
from tasking.services.subjects import possible_subject_duplicates
from tests.accounts.factories import TeamFactory, UserFactory
from tests.tasking.factories import (
    PersonSubjectFactory,
    SubjectOfConcernFactory,
    VehicleSubjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere():
    """A worker in another team, who recorded the subjects the check should find."""
    return UserFactory(team=TeamFactory(name="South exploitation team"), roles=[Role.SOCIAL_WORKER])


def found(user, **typed):
    return possible_subject_duplicates(user, **{"name": "", **typed})


def test_a_near_match_on_the_name_is_found(social_worker):
    subject = SubjectOfConcernFactory(name="Flat 3, Tower Court", created_by=social_worker)

    matches = found(social_worker, name="Flat 3 Towers Court")

    assert [m.subject for m in matches] == [subject]
    assert matches[0].reasons == ("a similar name, alias or handle",)


def test_a_slip_in_a_persons_name_is_found(social_worker):
    subject = PersonSubjectFactory(name="Dean Marsh", created_by=social_worker)

    assert [m.subject for m in found(social_worker, name="Deen Marsh")] == [subject]


def test_an_unrelated_name_is_not_a_match(social_worker):
    SubjectOfConcernFactory(name="Flat 3, Tower Court", created_by=social_worker)

    assert found(social_worker, name="Riverside car wash") == []


def test_an_alias_typed_matches_a_recorded_name_and_a_name_a_recorded_alias(social_worker):
    by_alias = PersonSubjectFactory(name="Dean Marsh", aliases=["Deano"], created_by=social_worker)

    assert [m.subject for m in found(social_worker, name="Unknown", aliases=["Dean Marsh"])] == [
        by_alias
    ]
    assert [m.subject for m in found(social_worker, name="Deano")] == [by_alias]


def test_the_same_plate_is_found_whatever_the_spacing(social_worker):
    vehicle = VehicleSubjectFactory(vehicle_registration="AB12 CDE", created_by=social_worker)

    matches = found(social_worker, name="Grey car", vehicle_registration="ab12cde")

    assert [m.subject for m in matches] == [vehicle]
    assert "the same vehicle registration" in matches[0].reasons


def test_the_same_phone_number_is_found_whatever_the_format(social_worker):
    person = PersonSubjectFactory(phone_numbers=["07700900123"], created_by=social_worker)

    matches = found(social_worker, name="Unknown caller", phone_numbers=["+44 7700 900 123"])

    assert [m.subject for m in matches] == [person]
    assert matches[0].reasons == ("the same phone number",)


def test_an_online_handle_is_found(social_worker):
    account = SubjectOfConcernFactory(
        kind="ONLINE",
        name="Snapchat account",
        online_handles=["deano_99"],
        created_by=social_worker,
    )

    assert [m.subject for m in found(social_worker, name="x", online_handles=["@deano_99"])] == [
        account
    ]


def test_a_match_the_user_cannot_see_says_only_whom_to_contact(social_worker, elsewhere):
    VehicleSubjectFactory(vehicle_registration="AB12 CDE", created_by=elsewhere)

    (match,) = found(social_worker, name="Grey car", vehicle_registration="AB12CDE")

    assert match.subject is None
    assert match.reasons == ()
    assert match.contact == "South exploitation team"


def test_a_match_recorded_by_a_partner_names_their_agency(social_worker):
    officer = UserFactory(team=None, agency="POLICE", roles=[Role.PARTNER_MEMBER])
    PersonSubjectFactory(name="Dean Marsh", created_by=officer)

    (match,) = found(social_worker, name="Dean Marsh")

    assert match.contact == "Police"
