import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import (
    assertContains,
    assertNotContains,
    assertRedirects,
    assertTemplateUsed,
)

from cre_portal.accounts.models import AudienceMembership
from cre_portal.accounts.roles import Role
from cre_portal.audit.models import AccessLogEntry
from tasking.models import ChildSubjectLink, SubjectOfConcern
from tasking.services.groups import membership_end
from tasking.services.subjects import subject_reference, subject_update
from tests.accounts.factories import TeamFactory, UserFactory
from tests.referrals.factories import ChildFactory
from tests.tasking.factories import (
    ChildSubjectLinkFactory,
    GroupMembershipFactory,
    PersonSubjectFactory,
    SubjectOfConcernFactory,
    TaskingGroupFactory,
    VehicleSubjectFactory,
)
from tests.tasking.factories_meetings import PublishedMeetingFactory, put_on_agenda

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
REASON = "Checking links before the tasking meeting"


def opened(client, subject):
    """Give a reason to open the restricted subject, as the break-glass page asks."""
    url = reverse("tasking:subject_break_glass", args=[subject.pk])
    client.post(url, {"reason": REASON})
    return client


def date_post(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def link_post(child_ref, **overrides):
    data = {
        "child_ref": child_ref,
        "source": "RHI",
        "source_reference": "RHI-0042",
        "grading": "REPORTED",
        **date_post("linked_on", TODAY() - datetime.timedelta(days=2)),
    }
    return {**data, **overrides}


# --- The list ----------------------------------------------------------------------------------
def test_the_list_shows_restricted_subjects_by_reference_only(signed_in, social_worker, team):
    subject = ChildSubjectLinkFactory(
        child=ChildFactory(team=team), subject__name="Tower Court"
    ).subject

    response = signed_in(social_worker).get(reverse("tasking:subject_list"))

    assertTemplateUsed(response, "tasking/subject_list.html")
    assertContains(response, subject_reference(subject))
    assertNotContains(response, "Tower Court")


def test_the_list_takes_a_fixed_number_of_queries(
    signed_in, social_worker, django_assert_max_num_queries
):
    SubjectOfConcernFactory.create_batch(30, created_by=social_worker)
    client = signed_in(social_worker)

    with django_assert_max_num_queries(10):
        assert client.get(reverse("tasking:subject_list")).status_code == 200


def test_the_list_is_refused_to_those_who_cannot_record_subjects(signed_in):
    analyst = UserFactory(roles=[Role.ANALYST])

    assert signed_in(analyst).get(reverse("tasking:subject_list")).status_code == 403


# --- Adding a subject --------------------------------------------------------------------------
def test_adding_asks_the_kind_first(signed_in, social_worker):
    response = signed_in(social_worker).get(reverse("tasking:subject_create"))

    assertTemplateUsed(response, "tasking/subject_kind.html")
    assertContains(response, "What kind of subject of concern is it?")


def test_only_the_kinds_own_fields_are_asked(signed_in, social_worker):
    url = reverse("tasking:subject_create") + "?kind=VEHICLE"

    response = signed_in(social_worker).get(url)

    assertContains(response, "Registration number")
    assertNotContains(response, "Date of birth")
    assertNotContains(response, "Postcode")


def test_an_unknown_kind_asks_again(signed_in, social_worker):
    response = signed_in(social_worker).get(reverse("tasking:subject_create") + "?kind=SHIP")

    assertContains(response, "Select the kind of subject")


def test_a_new_subject_with_no_match_is_added_and_opens_for_its_creator(signed_in, social_worker):
    client = signed_in(social_worker)
    url = reverse("tasking:subject_create") + "?kind=PLACE"

    response = client.post(url, {"name": "Riverside car wash", "postcode": "nt1 2ab"})

    subject = SubjectOfConcern.objects.get(name="Riverside car wash")
    assertRedirects(response, reverse("tasking:subject_detail", args=[subject.pk]))
    assert subject.postcode == "NT1 2AB"
    assert client.get(response["Location"]).status_code == 200


def test_a_likely_duplicate_the_user_cannot_see_names_only_whom_to_contact(
    signed_in, social_worker
):
    south = UserFactory(
        team=TeamFactory(name="South exploitation team"), roles=[Role.SOCIAL_WORKER]
    )
    VehicleSubjectFactory(
        name="Silver Ford Focus", vehicle_registration="AB12 CDE", created_by=south
    )
    url = reverse("tasking:subject_create") + "?kind=VEHICLE"

    response = signed_in(social_worker).post(
        url, {"name": "Grey hatchback", "vehicle_registration": "ab12cde"}
    )

    assertTemplateUsed(response, "tasking/subject_check.html")
    assertContains(response, "Contact South exploitation team")
    assertNotContains(response, "Silver Ford Focus")
    assert not SubjectOfConcern.objects.filter(name="Grey hatchback").exists()


def test_a_visible_likely_duplicate_is_linked_with_the_reason(signed_in, social_worker):
    person = PersonSubjectFactory(phone_numbers=["07700900123"], created_by=social_worker)
    url = reverse("tasking:subject_create") + "?kind=PERSON"

    response = signed_in(social_worker).post(
        url, {"name": "Unknown caller", "phone_numbers": "07700 900 123"}
    )

    assertContains(response, reverse("tasking:subject_detail", args=[person.pk]))
    assertContains(response, "the same phone number")


def test_after_checking_the_subject_is_added_anyway(signed_in, social_worker):
    PersonSubjectFactory(name="Dean Marsh", created_by=social_worker)
    url = reverse("tasking:subject_create") + "?kind=PERSON"

    response = signed_in(social_worker).post(url, {"name": "Dean Marsh", "checked": "yes"})

    assert response.status_code == 302
    assert SubjectOfConcern.objects.filter(name="Dean Marsh").count() == 2


def test_changing_the_details_keeps_what_was_typed(signed_in, social_worker):
    url = reverse("tasking:subject_create") + "?kind=PERSON"

    response = signed_in(social_worker).post(url, {"name": "Dean Marsh", "change": "yes"})

    assertTemplateUsed(response, "tasking/subject_form.html")
    assertContains(response, 'value="Dean Marsh"')


def test_a_bad_plate_is_refused_keeping_the_input(signed_in, social_worker):
    url = reverse("tasking:subject_create") + "?kind=VEHICLE"

    response = signed_in(social_worker).post(
        url, {"name": "Black Audi", "vehicle_registration": "!!"}
    )

    assertContains(response, "Enter a real registration number, like AB12 CDE")
    assertContains(response, 'value="Black Audi"')


# --- Opening a restricted subject --------------------------------------------------------------
def test_opening_a_restricted_subject_asks_for_a_reason_and_logs_it(signed_in, social_worker, team):
    subject = ChildSubjectLinkFactory(child=ChildFactory(team=team)).subject
    client = signed_in(social_worker)
    detail = reverse("tasking:subject_detail", args=[subject.pk])

    first = client.get(detail)
    client.post(first["Location"], {"reason": REASON, "next": detail})
    response = client.get(detail)

    assert first.status_code == 302
    assert first["Location"].startswith(reverse("tasking:subject_break_glass", args=[subject.pk]))
    assert response.status_code == 200
    glass = AccessLogEntry.objects.get(action=AccessLogEntry.Action.BREAK_GLASS)
    assert (glass.object_type, glass.object_id) == ("tasking.subjectofconcern", str(subject.pk))
    assert glass.child_id is None
    assert glass.reason == REASON
    assert AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.VIEW, object_id=str(subject.pk), child_id=None
    ).exists()


def test_a_reason_is_required(signed_in, social_worker):
    subject = SubjectOfConcernFactory(created_by=social_worker)

    response = signed_in(social_worker).post(
        reverse("tasking:subject_break_glass", args=[subject.pk]), {"reason": ""}
    )

    assertContains(response, "Enter why you need to open this record")
    assert not AccessLogEntry.objects.exists()


def test_a_subject_out_of_scope_is_not_found(signed_in, social_worker, other_team):
    subject = ChildSubjectLinkFactory(child=ChildFactory(team=other_team)).subject
    client = signed_in(social_worker)

    for name in ("subject_detail", "subject_break_glass", "subject_edit", "subject_network"):
        assert client.get(reverse(f"tasking:{name}", args=[subject.pk])).status_code == 404


# --- Editing -----------------------------------------------------------------------------------
def edit_post(subject, **overrides):
    data = {"name": subject.name, "status": subject.status, "version": subject.version}
    return {**data, "address": subject.address, "postcode": subject.postcode, **overrides}


def test_a_subject_is_edited(signed_in, social_worker):
    subject = SubjectOfConcernFactory(created_by=social_worker)
    client = opened(signed_in(social_worker), subject)

    response = client.post(
        reverse("tasking:subject_edit", args=[subject.pk]), edit_post(subject, status="DORMANT")
    )

    subject.refresh_from_db()
    assert response.status_code == 302
    assert subject.status == "DORMANT"


def test_a_stale_edit_keeps_the_users_input_and_says_why(signed_in, social_worker):
    subject = SubjectOfConcernFactory(created_by=social_worker)
    client = opened(signed_in(social_worker), subject)
    data = edit_post(subject, name="My new name")
    subject_update(subject=subject, actor=social_worker, expected_version=1, changes={"name": "X"})

    response = client.post(reverse("tasking:subject_edit", args=[subject.pk]), data)

    assertContains(response, "Someone else changed this record while you were editing it")
    assertContains(response, 'value="My new name"')
    assertContains(response, 'name="version" value="2"')


# --- Links -------------------------------------------------------------------------------------
def test_a_child_is_linked_by_case_reference(signed_in, social_worker, team):
    child = ChildFactory(team=team)
    subject = SubjectOfConcernFactory(created_by=social_worker)
    client = opened(signed_in(social_worker), subject)

    response = client.post(
        reverse("tasking:subject_link_child", args=[subject.pk]), link_post(child.child_ref.lower())
    )

    assert response.status_code == 302
    link = ChildSubjectLink.objects.get(subject=subject)
    assert (link.child, link.source_reference, link.grading) == (child, "RHI-0042", "REPORTED")


def test_a_child_out_of_sight_gets_the_same_answer_as_no_child(
    signed_in, social_worker, other_team
):
    hidden = ChildFactory(team=other_team)
    subject = SubjectOfConcernFactory(created_by=social_worker)
    client = opened(signed_in(social_worker), subject)
    url = reverse("tasking:subject_link_child", args=[subject.pk])

    hidden_answer = client.post(url, link_post(hidden.child_ref))
    missing_answer = client.post(url, link_post("C999999"))

    message = "Enter the case reference of a child whose record you can open"
    assertContains(hidden_answer, message)
    assertContains(missing_answer, message)
    assert not ChildSubjectLink.objects.exists()


def test_a_link_is_ended(signed_in, social_worker, team):
    link = ChildSubjectLinkFactory(child=ChildFactory(team=team))
    client = opened(signed_in(social_worker), link.subject)

    response = client.post(
        reverse("tasking:child_link_end", args=[link.pk]), date_post("ended_on", TODAY())
    )

    link.refresh_from_db()
    assert response.status_code == 302
    assert link.ended_on == TODAY()


def test_another_subject_is_linked(signed_in, social_worker):
    place = SubjectOfConcernFactory(created_by=social_worker)
    person = PersonSubjectFactory(created_by=social_worker)
    client = opened(signed_in(social_worker), place)
    data = {**link_post(""), "other": str(person.pk)}

    form = client.get(reverse("tasking:subject_link_subject", args=[place.pk]))
    response = client.post(reverse("tasking:subject_link_subject", args=[place.pk]), data)

    assertContains(form, subject_reference(person))
    assertNotContains(form, person.name)
    assert response.status_code == 302
    assert place.associations_from.get().other == person


# --- "Which children are linked to this place in the last 90 days" -----------------------------
def test_children_linked_in_the_last_90_days(signed_in, social_worker, team, other_team):
    subject = SubjectOfConcernFactory(created_by=social_worker)
    recent = ChildSubjectLinkFactory(subject=subject, child=ChildFactory(team=team))
    old = ChildSubjectLinkFactory(
        subject=subject,
        child=ChildFactory(team=team),
        linked_on=TODAY() - datetime.timedelta(days=120),
    )
    ChildSubjectLinkFactory(subject=subject, child=ChildFactory(team=other_team))
    client = opened(signed_in(social_worker), subject)

    response = client.get(reverse("tasking:subject_children", args=[subject.pk]) + "?days=90")

    assertContains(response, recent.child.child_ref)
    assertNotContains(response, old.child.child_ref)
    assertContains(response, "A child in another team")


def test_the_number_of_days_is_checked(signed_in, social_worker):
    subject = SubjectOfConcernFactory(created_by=social_worker)
    client = opened(signed_in(social_worker), subject)

    response = client.get(reverse("tasking:subject_children", args=[subject.pk]) + "?days=x\x00")

    assertContains(response, "Enter a number of days, like 90")
    assertContains(response, "in the last 90 days")


# --- Partners see only what their groups share -------------------------------------------------
def test_a_partner_loses_sight_of_child_and_subject_when_their_membership_ends(signed_in, team):
    child = ChildFactory(team=team)
    subject = ChildSubjectLinkFactory(child=child).subject
    group = TaskingGroupFactory()
    membership = GroupMembershipFactory(group=group)
    put_on_agenda(PublishedMeetingFactory(group=group), child=child, subject=subject)
    client = opened(signed_in(membership.user), subject)
    child_url = reverse("referrals:child_detail", args=[child.pk])
    subject_url = reverse("tasking:subject_detail", args=[subject.pk])
    assert client.get(child_url).status_code == 200
    assert client.get(subject_url).status_code == 200

    membership_end(membership=membership, actor=group.chair)

    assert not AudienceMembership.objects.filter(user=membership.user).exists()
    assert client.get(child_url).status_code == 404
    assert client.get(subject_url).status_code == 404
