import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from cre_portal.concurrency import StaleEdit
from tasking.models import ChildSubjectLink, Grading, LinkSource, SubjectKind
from tasking.services.subjects import (
    association_create,
    association_end,
    child_link_create,
    child_link_end,
    link_summary,
    normalise_phone,
    normalise_plate,
    subject_create,
    subject_update,
)
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.tasking.factories import (
    ChildSubjectLinkFactory,
    PersonSubjectFactory,
    SubjectAssociationFactory,
    SubjectOfConcernFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def link_fields(**overrides):
    fields = {
        "source": LinkSource.RHI,
        "source_reference": "RHI-2026-0012",
        "linked_on": TODAY() - datetime.timedelta(days=3),
        "grading": Grading.REPORTED,
    }
    return {**fields, **overrides}


# --- Normalising identifiers -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("07700 900123", "07700900123"),
        ("+44 7700 900123", "07700900123"),
        ("+44 (0)7700-900-123", "07700900123"),
        ("0044 7700 900123", "07700900123"),
        ("+33 1 23 45 67 89", "33123456789"),
    ],
)
def test_phone_numbers_are_compared_in_one_form(typed, normal):
    assert normalise_phone(typed) == normal


def test_plates_are_compared_without_spaces_or_case():
    assert normalise_plate(" ab12  cde ") == "AB12CDE"


# --- Adding and editing ------------------------------------------------------------------------
def test_a_new_subject_is_restricted_and_keeps_only_its_kinds_fields(social_worker):
    subject = subject_create(
        actor=social_worker,
        kind=SubjectKind.VEHICLE,
        name="Black Audi A3",
        vehicle_registration="ab12  cde",
        address="Should not be kept",
        phone_numbers=["07700 900123"],
    )

    assert subject.is_restricted
    assert subject.created_by == social_worker
    assert subject.vehicle_registration == "AB12 CDE"
    assert subject.address == ""
    assert subject.phone_numbers == []
    assert "ab12cde" in subject.search_text


def test_phone_numbers_and_handles_are_stored_tidied(social_worker):
    person = subject_create(
        actor=social_worker,
        kind=SubjectKind.PERSON,
        name="Dean Marsh",
        phone_numbers=["+44 7700 900123", "07700900123"],
    )
    account = subject_create(
        actor=social_worker, kind=SubjectKind.ONLINE, name="Snap", online_handles=["@deano_99 "]
    )

    assert person.phone_numbers == ["07700900123"]
    assert account.online_handles == ["deano_99"]


def test_a_date_of_birth_must_be_in_the_past(social_worker):
    with pytest.raises(ValidationError):
        subject_create(
            actor=social_worker,
            kind=SubjectKind.PERSON,
            name="Dean Marsh",
            date_of_birth=TODAY() + datetime.timedelta(days=1),
        )


def test_only_those_who_record_subjects_add_them():
    with pytest.raises(PermissionDenied):
        subject_create(actor=UserFactory(roles=[Role.ANALYST]), kind=SubjectKind.PLACE, name="X")


def test_subject_update_bumps_the_version(social_worker):
    subject = SubjectOfConcernFactory(created_by=social_worker)

    subject_update(
        subject=subject,
        actor=social_worker,
        expected_version=1,
        changes={"status": "DORMANT", "review_on": TODAY() + datetime.timedelta(days=30)},
    )

    subject.refresh_from_db()
    assert subject.version == 2
    assert subject.status == "DORMANT"


def test_a_stale_edit_is_refused_naming_what_changed(social_worker):
    subject = SubjectOfConcernFactory(created_by=social_worker)
    subject_update(
        subject=subject, actor=social_worker, expected_version=1, changes={"name": "New name"}
    )

    with pytest.raises(StaleEdit) as stale:
        subject_update(
            subject=subject, actor=social_worker, expected_version=1, changes={"name": "Other"}
        )

    assert "name" in stale.value.message


def test_a_review_date_set_in_the_past_is_refused(social_worker):
    subject = SubjectOfConcernFactory(created_by=social_worker)

    with pytest.raises(ValidationError) as error:
        subject_update(
            subject=subject,
            actor=social_worker,
            expected_version=1,
            changes={"review_on": TODAY() - datetime.timedelta(days=1)},
        )

    assert "review_on" in error.value.message_dict


def test_a_subject_out_of_sight_cannot_be_edited(social_worker):
    subject = SubjectOfConcernFactory()

    with pytest.raises(PermissionDenied):
        subject_update(subject=subject, actor=social_worker, expected_version=1, changes={})


# --- Links to children -------------------------------------------------------------------------
def test_linking_a_child_notes_it_on_the_childs_chronology_without_the_name(social_worker, team):
    child = ChildFactory(team=team)
    subject = SubjectOfConcernFactory(created_by=social_worker, name="Flat 9 Tower Court")

    link = child_link_create(subject=subject, child=child, actor=social_worker, **link_fields())

    event = CaseEvent.objects.get(child_id=child.pk)
    assert event.summary == "Linked to a place of concern (reported)"
    assert "Tower" not in event.summary
    assert event.verb == "subject_linked"
    assert event.object_id == str(link.pk)
    assert link.created_by == social_worker


def test_link_summaries_name_the_kind_only():
    subject = SubjectOfConcernFactory.build(kind=SubjectKind.ONLINE, created_by=None)

    assert link_summary(subject, "Verified") == "Linked to an online account of concern (verified)"


def test_a_child_out_of_sight_cannot_be_linked(social_worker, other_team):
    subject = SubjectOfConcernFactory(created_by=social_worker)

    with pytest.raises(PermissionDenied):
        child_link_create(
            subject=subject,
            child=ChildFactory(team=other_team),
            actor=social_worker,
            **link_fields(),
        )


def test_a_child_is_linked_once_while_the_link_is_current(social_worker, team):
    link = ChildSubjectLinkFactory(child=ChildFactory(team=team), subject__created_by=social_worker)

    with pytest.raises(ValidationError):
        child_link_create(
            subject=link.subject, child=link.child, actor=social_worker, **link_fields()
        )


def test_a_link_cannot_be_dated_in_the_future(social_worker, team):
    subject = SubjectOfConcernFactory(created_by=social_worker)

    with pytest.raises(ValidationError):
        child_link_create(
            subject=subject,
            child=ChildFactory(team=team),
            actor=social_worker,
            **link_fields(linked_on=TODAY() + datetime.timedelta(days=1)),
        )


def test_ending_a_link_keeps_it_and_notes_it_on_the_chronology(social_worker, team):
    link = ChildSubjectLinkFactory(child=ChildFactory(team=team))

    child_link_end(link=link, actor=social_worker, ended_on=TODAY())

    link.refresh_from_db()
    assert link.ended_on == TODAY()
    event = CaseEvent.objects.get(child_id=link.child_id, verb="subject_link_ended")
    assert event.summary == "Link to a place of concern ended"
    with pytest.raises(ValidationError):
        child_link_end(link=link, actor=social_worker, ended_on=TODAY())


def test_a_link_cannot_end_before_it_began(social_worker, team):
    link = ChildSubjectLinkFactory(child=ChildFactory(team=team))

    with pytest.raises(ValidationError):
        child_link_end(
            link=link, actor=social_worker, ended_on=link.linked_on - datetime.timedelta(days=1)
        )
    assert ChildSubjectLink.objects.get(pk=link.pk).ended_on is None


def test_a_link_to_a_child_out_of_sight_cannot_be_ended(social_worker, other_team):
    link = ChildSubjectLinkFactory(child=ChildFactory(team=other_team))

    with pytest.raises(PermissionDenied):
        child_link_end(link=link, actor=social_worker, ended_on=TODAY())


# --- Associations between subjects ------------------------------------------------------------
def test_two_subjects_are_associated_once_either_way_round(social_worker):
    person = PersonSubjectFactory(created_by=social_worker)
    place = SubjectOfConcernFactory(created_by=social_worker)

    association_create(subject=person, other=place, actor=social_worker, **link_fields())

    with pytest.raises(ValidationError):
        association_create(subject=place, other=person, actor=social_worker, **link_fields())


def test_a_subject_is_not_associated_with_itself(social_worker):
    place = SubjectOfConcernFactory(created_by=social_worker)

    with pytest.raises(ValidationError):
        association_create(subject=place, other=place, actor=social_worker, **link_fields())


def test_a_subject_out_of_sight_cannot_be_associated(social_worker):
    mine = SubjectOfConcernFactory(created_by=social_worker)

    with pytest.raises(PermissionDenied):
        association_create(
            subject=mine, other=SubjectOfConcernFactory(), actor=social_worker, **link_fields()
        )


def test_ending_an_association_keeps_it(social_worker):
    association = SubjectAssociationFactory(
        subject__created_by=social_worker, other__created_by=social_worker
    )

    association_end(association=association, actor=social_worker, ended_on=TODAY())

    association.refresh_from_db()
    assert association.ended_on == TODAY()
    with pytest.raises(ValidationError):
        association_end(association=association, actor=social_worker, ended_on=TODAY())


def test_an_association_out_of_sight_cannot_be_ended(social_worker):
    association = SubjectAssociationFactory()

    with pytest.raises(PermissionDenied):
        association_end(association=association, actor=social_worker, ended_on=TODAY())
