"""Adding a child (search first) and editing one, through the pages."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import AccessLogEntry, CaseEvent
from referrals.codes import CareStatus, LegalStatus
from referrals.models import Child
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in
from tests.referrals.factories import ChildFactory, LookedAfterChildFactory
from tests.referrals.factories_children import RestrictedChildFactory, details_post, edit_post

pytestmark = pytest.mark.django_db

CREATE = reverse("referrals:child_create")
BIRTHDAY = datetime.date(2012, 3, 12)
FIND = {
    "first_name": "Jayden",
    "last_name": "Smith",
    "date_of_birth_0": "12",
    "date_of_birth_1": "3",
    "date_of_birth_2": "2012",
}


def step(name):
    return f"{CREATE}?step={name}"


# --- Step 1: who is the child? -------------------------------------------------------------------
def test_step_one_asks_for_name_and_date_of_birth(signed_in, social_worker):
    response = signed_in(social_worker).get(CREATE)

    assert response.status_code == 200
    assert response.templates[0].name == "referrals/child_create_find.html"


def test_step_one_errors_keep_the_input(signed_in, social_worker):
    data = {**FIND, "last_name": "", "date_of_birth_0": "31", "date_of_birth_1": "2"}

    response = signed_in(social_worker).post(CREATE, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the child&#x27;s last name" in page
    assert "Date of birth must be a real date" in page
    assert 'value="Jayden"' in page
    assert "<title>Error: " in page


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "3", "2012", "Date of birth must include a day"),
        ("1", "1", "12", "Year must include 4 numbers"),
        ("1", "1", "1990", "Date of birth must be on or after"),
        ("1", "1", "2999", "Date of birth must be today or in the past"),
    ],
)
def test_step_one_checks_the_date_of_birth(signed_in, social_worker, day, month, year, message):
    data = {**FIND, "date_of_birth_0": day, "date_of_birth_1": month, "date_of_birth_2": year}

    response = signed_in(social_worker).post(CREATE, data)

    assert message in response.content.decode()


def test_no_possible_match_goes_straight_to_the_record(signed_in, social_worker):
    client = signed_in(social_worker)

    response = client.post(CREATE, FIND, follow=True)

    assert response.redirect_chain[-1][0] == step("details")
    assert "No record in the authority has details like these" in response.content.decode()


def test_names_never_appear_in_urls(signed_in, social_worker):
    response = signed_in(social_worker).post(CREATE, FIND, follow=True)

    assert all("Jayden" not in url for url, _status in response.redirect_chain)


# --- Step 1b: possible matches --------------------------------------------------------------------
def test_match_in_another_team_shows_only_reference_and_team(signed_in, social_worker, other_team):
    theirs = ChildFactory(
        first_name="Jaden", last_name="Smith", date_of_birth=BIRTHDAY, team=other_team
    )

    response = signed_in(social_worker).post(CREATE, FIND, follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == step("check")
    assert theirs.child_ref in page
    assert f"A possible match is held by {other_team.name}" in page
    assert "Jaden" not in page
    assert reverse("referrals:child_detail", args=[theirs.pk]) not in page


def test_match_in_scope_links_to_the_record(signed_in, social_worker):
    ours = ChildFactory(first_name="Jaden", last_name="Smith", team=social_worker.team)

    response = signed_in(social_worker).post(CREATE, FIND, follow=True)

    page = response.content.decode()
    assert ours.full_name in page
    assert reverse("referrals:child_detail", args=[ours.pk]) in page


def test_restricted_match_in_scope_hides_name_and_birthday(signed_in, social_worker):
    RestrictedChildFactory(
        first_name="Jaden", last_name="Smith", date_of_birth=BIRTHDAY, team=social_worker.team
    )

    response = signed_in(social_worker).post(CREATE, FIND, follow=True)

    page = response.content.decode()
    assert "This is a restricted record" in page
    assert "Jaden" not in page


def test_possible_match_must_be_confirmed_before_going_on(signed_in, social_worker):
    ChildFactory(first_name="Jaden", last_name="Smith", date_of_birth=BIRTHDAY)
    client = signed_in(social_worker)
    client.post(CREATE, FIND)

    refused = client.post(step("check"), {})
    skipped = client.get(step("details"))
    confirmed = client.post(step("check"), {"confirm": "on"})

    assert "Confirm that none of these records is this child" in refused.content.decode()
    assert skipped.templates[0].name == "referrals/child_create_check.html"
    assert confirmed["Location"] == step("details")


# --- Step 2: the record ---------------------------------------------------------------------------
def test_adding_a_child_creates_the_record_and_goes_to_it(signed_in, social_worker):
    # given
    client = signed_in(social_worker)
    client.post(CREATE, FIND)

    # when
    response = client.post(
        step("details"),
        details_post(known_as="JJ; Jay\nJ-Man", allocated_worker=str(social_worker.pk)),
    )

    # then
    child = Child.objects.get()
    assert response["Location"] == reverse("referrals:child_detail", args=[child.pk])
    assert (child.first_name, child.date_of_birth) == ("Jayden", BIRTHDAY)
    assert child.known_as == ["JJ", "Jay", "J-Man"]
    assert (child.team, child.allocated_worker) == (social_worker.team, social_worker)
    assert CaseEvent.objects.get().verb == "child_created"
    assert "cre_new_child" not in client.session


def test_step_two_defaults_allocation_to_the_user(signed_in, social_worker):
    client = signed_in(social_worker)
    client.post(CREATE, FIND)

    response = client.get(step("details"))

    assert response.context["form"]["allocated_worker"].value() == social_worker.pk
    assert "team" not in response.context["form"].fields
    assert "is_restricted" not in response.context["form"].fields


def test_manager_sees_team_and_restriction_questions(signed_in, team_manager):
    client = signed_in(team_manager)
    client.post(CREATE, FIND)

    response = client.get(step("details"))

    assert {"team", "is_restricted"} <= response.context["form"].fields.keys()


def test_looked_after_child_needs_legal_status_and_placing_answer(signed_in, social_worker):
    client = signed_in(social_worker)
    client.post(CREATE, FIND)

    response = client.post(step("details"), details_post(care_status=CareStatus.LAC))

    page = response.content.decode()
    assert "Select the child&#x27;s legal status" in page
    assert "Select yes if another local authority placed the child here" in page
    assert not Child.objects.exists()


def test_placed_in_child_needs_the_authority_name(signed_in, social_worker):
    client = signed_in(social_worker)
    client.post(CREATE, FIND)
    data = details_post(
        care_status=CareStatus.LAC, legal_status=LegalStatus.V2, placed_by_other_authority="yes"
    )

    refused = client.post(step("details"), data)
    client.post(step("details"), {**data, "placing_authority": "Southdale Borough Council"})

    assert "Enter the local authority that placed the child here" in refused.content.decode()
    assert Child.objects.get().placing_authority == "Southdale Borough Council"


def test_no_disability_cannot_be_ticked_with_a_disability(signed_in, social_worker):
    client = signed_in(social_worker)
    client.post(CREATE, FIND)

    response = client.post(step("details"), details_post(disability=["NONE", "AUT"]))

    assert "Select &#x27;No disability&#x27; or the child&#x27;s disabilities, not both" in (
        response.content.decode()
    )


def test_forged_team_from_a_social_worker_is_ignored(signed_in, social_worker, other_team):
    client = signed_in(social_worker)
    client.post(CREATE, FIND)

    client.post(step("details"), details_post(team=str(other_team.pk)))

    assert Child.objects.get().team == social_worker.team


def test_details_step_without_step_one_starts_again(signed_in, social_worker):
    response = signed_in(social_worker).get(step("details"))

    assert response.templates[0].name == "referrals/child_create_find.html"


def test_change_link_shows_the_answers_again(signed_in, social_worker):
    client = signed_in(social_worker)
    client.post(CREATE, FIND)

    response = client.get(step("find"))

    assert 'value="Jayden"' in response.content.decode()


def test_those_without_the_capability_cannot_add(signed_in, team):
    analyst = UserFactory(team=team, roles=[Role.ANALYST])

    response = signed_in(analyst).get(CREATE)

    assert response.status_code == 403


# --- The overview ---------------------------------------------------------------------------------
def test_overview_has_change_links_for_those_who_may_edit(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team, disability=["AUT"])

    response = signed_in(social_worker).get(reverse("referrals:child_detail", args=[child.pk]))

    page = response.content.decode()
    assert f"{reverse('referrals:child_edit', args=[child.pk])}#id_first_name" in page
    assert "Autism or Asperger syndrome" in page
    assert "#id_team" not in page
    assert "#id_is_restricted" not in page


def test_overview_offers_managers_team_and_restriction(signed_in, team_manager):
    child = ChildFactory(team=team_manager.team)

    response = signed_in(team_manager).get(reverse("referrals:child_detail", args=[child.pk]))

    page = response.content.decode()
    assert "#id_team" in page
    assert "#id_is_restricted" in page


# --- Editing --------------------------------------------------------------------------------------
def edit_url(child):
    return reverse("referrals:child_edit", args=[child.pk])


def test_edit_page_shows_the_record_and_logs_the_read(signed_in, social_worker):
    child = LookedAfterChildFactory(team=social_worker.team, placing_authority="Southdale")

    response = signed_in(social_worker).get(edit_url(child))

    form = response.context["form"]
    assert response.templates[0].name == "referrals/child_edit.html"
    assert form["placed_by_other_authority"].value() == "yes"
    assert form["version"].value() == 1
    assert AccessLogEntry.objects.filter(child_id=child.pk).count() == 1


def test_edit_saves_and_returns_to_the_overview(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team, last_name="Smith")

    response = signed_in(social_worker).post(
        edit_url(child), edit_post(child, last_name="Smyth", known_as="Smudge")
    )

    child.refresh_from_db()
    assert response["Location"] == reverse("referrals:child_detail", args=[child.pk])
    assert (child.last_name, child.known_as, child.version) == ("Smyth", ["Smudge"], 2)
    assert CaseEvent.objects.get().summary == "Changed: last name, known as"


def test_edit_errors_keep_the_input(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)

    response = signed_in(social_worker).post(
        edit_url(child), edit_post(child, first_name="", last_name="Newname", date_of_birth_2="")
    )

    page = response.content.decode()
    assert "Enter the child&#x27;s first name" in page
    assert "Date of birth must include a year" in page
    assert 'value="Newname"' in page


def test_second_editor_of_a_stale_copy_is_told_what_changed_and_keeps_their_input(
    social_worker, team_manager
):
    # given: two people open the same record
    child = ChildFactory(team=social_worker.team, gender_identity="")
    first, second = sign_in(Client(), team_manager), sign_in(Client(), social_worker)
    first.get(edit_url(child))
    second.get(edit_url(child))
    first.post(edit_url(child), edit_post(child, placement_type="", ethnicity="WIRI"))

    # when: the second saves the copy they opened
    response = second.post(edit_url(child), edit_post(child, gender_identity="Non-binary"))

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this record while you were editing it (ethnicity)" in page
    assert 'value="Non-binary"' in page
    assert response.context["form"]["version"].value() == "2"
    assert Child.objects.get(pk=child.pk).gender_identity == ""

    # and saving again, having checked, goes through
    again = second.post(edit_url(child), response.context["form"].data)
    assert again.status_code == 302
    assert Child.objects.get(pk=child.pk).gender_identity == "Non-binary"


def test_out_of_scope_child_cannot_be_edited(signed_in, social_worker, other_team):
    child = ChildFactory(team=other_team)

    response = signed_in(social_worker).get(edit_url(child))

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_restricted_child_asks_for_a_reason_before_editing(signed_in, social_worker):
    child = RestrictedChildFactory(team=social_worker.team)

    response = signed_in(social_worker).get(edit_url(child))

    assert response.status_code == 302
    assert reverse("referrals:child_break_glass", args=[child.pk]) in response["Location"]


def test_social_worker_cannot_see_or_use_the_restriction(signed_in, social_worker):
    child = ChildFactory(team=social_worker.team)

    signed_in(social_worker).post(edit_url(child), edit_post(child, is_restricted="on"))

    child.refresh_from_db()
    assert not child.is_restricted


def test_manager_restricts_a_record(signed_in, team_manager):
    child = ChildFactory(team=team_manager.team)

    signed_in(team_manager).post(edit_url(child), edit_post(child, is_restricted="on"))

    assert Child.objects.get(pk=child.pk).is_restricted


def test_manager_moving_team_without_a_worker_there_is_told_at_the_field(
    signed_in, team_manager, other_team
):
    child = ChildFactory(team=team_manager.team, allocated_worker=team_manager)

    response = signed_in(team_manager).post(
        edit_url(child), edit_post(child, team=str(other_team.pk))
    )

    assert response.context["form"].errors["allocated_worker"] == [
        "Select a worker who is in the child's team"
    ]
    assert Child.objects.get(pk=child.pk).team == team_manager.team
