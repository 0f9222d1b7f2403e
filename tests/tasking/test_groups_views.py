import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from cre_portal.accounts.models import AudienceMembership
from cre_portal.accounts.roles import Role
from tasking.models import TaskingGroup, Tier
from tests.accounts.factories import UserFactory
from tests.tasking.factories import (
    GovernanceGroupFactory,
    GroupMembershipFactory,
    StrategicGroupFactory,
    TaskingGroupFactory,
    partner_member,
    tasking_chair,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair():
    return tasking_chair()


@pytest.fixture
def group(chair):
    strategic = StrategicGroupFactory(escalates_to=GovernanceGroupFactory())
    return TaskingGroupFactory(chair=chair, escalates_to=strategic, name="North operational")


def group_post(chair, escalates_to, **overrides):
    data = {
        "name": "South operational",
        "tier": Tier.OPERATIONAL,
        "escalates_to": str(escalates_to.pk) if escalates_to else "",
        "chair": str(chair.pk),
        "cadence_days": "14",
        "description": "",
    }
    return {**data, **overrides}


# --- The list ----------------------------------------------------------------------------------
def test_a_member_sees_only_their_groups(signed_in, group):
    membership = GroupMembershipFactory(group=group)
    TaskingGroupFactory(name="Someone else's group")

    response = signed_in(membership.user).get(reverse("tasking:group_list"))

    assertTemplateUsed(response, "tasking/group_list.html")
    assertContains(response, "North operational")
    assertNotContains(response, "Someone else&#x27;s group")
    assertNotContains(response, "Set up a group")


def test_the_list_takes_a_fixed_number_of_queries(signed_in, chair, django_assert_max_num_queries):
    for _ in range(30):
        GroupMembershipFactory(group=TaskingGroupFactory(chair=chair))
    client = signed_in(chair)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("tasking:group_list"))

    assert response.status_code == 200
    assertContains(response, "Set up a group")


# --- Setting up and changing a group ----------------------------------------------------------
def test_a_chair_sets_up_a_group(signed_in, chair, group):
    response = signed_in(chair).post(
        reverse("tasking:group_create"), group_post(chair, group.escalates_to)
    )

    created = TaskingGroup.objects.get(name="South operational")
    assert response.status_code == 302
    assert response["Location"] == reverse("tasking:group_detail", args=[created.pk])
    assert AudienceMembership.objects.filter(user=chair, audience=f"tasking:{created.pk}").exists()


def test_a_wrong_tier_is_shown_at_the_field_and_the_input_kept(signed_in, chair, group):
    response = signed_in(chair).post(
        reverse("tasking:group_create"),
        group_post(chair, group.escalates_to.escalates_to, name="Typed name"),
    )

    assert response.status_code == 200
    assertContains(response, "Select a strategic group: items escalate one tier up")
    assertContains(response, 'value="Typed name"')
    assertContains(response, "<title>Error: ")


def test_missing_answers_get_their_own_messages(signed_in, chair):
    response = signed_in(chair).post(reverse("tasking:group_create"), {})

    for message in ("Enter the name of the group", "Select the tier", "Select the chair"):
        assertContains(response, message)


def test_a_social_worker_cannot_set_up_groups(signed_in, social_worker):
    assert signed_in(social_worker).get(reverse("tasking:group_create")).status_code == 403


def test_a_chair_changes_the_cadence(signed_in, chair, group):
    data = group_post(
        chair, group.escalates_to, name=group.name, cadence_days="28", is_active="yes"
    )

    response = signed_in(chair).post(reverse("tasking:group_edit", args=[group.pk]), data)

    group.refresh_from_db()
    assert response.status_code == 302
    assert group.cadence_days == 28


def test_a_member_may_not_change_the_group(signed_in, group):
    membership = GroupMembershipFactory(group=group)

    response = signed_in(membership.user).get(reverse("tasking:group_edit", args=[group.pk]))

    assert response.status_code == 403


# --- The group's page --------------------------------------------------------------------------
def test_the_group_page_shows_members_and_clearance_to_the_chair(signed_in, chair, group):
    GroupMembershipFactory(group=group, has_covert_clearance=True)

    response = signed_in(chair).get(reverse("tasking:group_detail", args=[group.pk]))

    assertTemplateUsed(response, "tasking/group_detail.html")
    assertContains(response, "Covert clearance")
    assertContains(response, "Police")


def test_members_do_not_see_who_has_covert_clearance(signed_in, group):
    membership = GroupMembershipFactory(group=group)

    response = signed_in(membership.user).get(reverse("tasking:group_detail", args=[group.pk]))

    assertNotContains(response, "Covert clearance")


def test_a_group_is_not_found_by_someone_outside_it(signed_in, social_worker, group):
    response = signed_in(social_worker).get(reverse("tasking:group_detail", args=[group.pk]))

    assert response.status_code == 404


def test_a_former_member_no_longer_sees_the_group(signed_in, group):
    membership = GroupMembershipFactory(group=group, left_on=timezone.localdate())

    response = signed_in(membership.user).get(reverse("tasking:group_detail", args=[group.pk]))

    assert response.status_code == 404


# --- Members -----------------------------------------------------------------------------------
def test_a_chair_adds_a_member_from_another_agency(signed_in, chair, group):
    officer = partner_member(full_name="Priya Officer")
    client = signed_in(chair)

    form = client.get(reverse("tasking:group_member_add", args=[group.pk]))
    response = client.post(
        reverse("tasking:group_member_add", args=[group.pk]),
        {"user": str(officer.pk), "has_covert_clearance": "yes"},
    )

    assertContains(form, "Priya Officer (Police)")
    assert response.status_code == 302
    membership = group.memberships.get(user=officer)
    assert membership.has_covert_clearance


def test_a_current_member_is_not_offered_again(signed_in, chair, group):
    membership = GroupMembershipFactory(group=group)

    response = signed_in(chair).post(
        reverse("tasking:group_member_add", args=[group.pk]),
        {"user": str(membership.user.pk), "has_covert_clearance": "no"},
    )

    assertContains(response, "Select someone who is not already a member")


def test_a_chair_removes_a_member_keeping_the_record(signed_in, chair, group):
    membership = GroupMembershipFactory(group=group)
    today = timezone.localdate()
    data = {"left_on_0": today.day, "left_on_1": today.month, "left_on_2": today.year}

    response = signed_in(chair).post(reverse("tasking:membership_end", args=[membership.pk]), data)

    membership.refresh_from_db()
    assert response.status_code == 302
    assert membership.left_on == today
    assert not AudienceMembership.objects.filter(user=membership.user).exists()


def test_removing_before_they_joined_is_refused_at_the_field(signed_in, chair, group):
    membership = GroupMembershipFactory(group=group)
    before = membership.joined_on.replace(year=membership.joined_on.year - 1)
    data = {"left_on_0": before.day, "left_on_1": before.month, "left_on_2": before.year}

    response = signed_in(chair).post(reverse("tasking:membership_end", args=[membership.pk]), data)

    assertContains(response, "between the date they joined and today")


def test_a_chair_withdraws_covert_clearance(signed_in, chair, group):
    membership = GroupMembershipFactory(group=group, has_covert_clearance=True)

    response = signed_in(chair).post(
        reverse("tasking:membership_clearance", args=[membership.pk]),
        {"has_covert_clearance": "no"},
    )

    membership.refresh_from_db()
    assert response.status_code == 302
    assert not membership.has_covert_clearance


def test_a_membership_of_a_group_out_of_sight_is_not_found(signed_in, social_worker):
    membership = GroupMembershipFactory()
    client = signed_in(UserFactory(roles=[Role.PARTNER_MEMBER]))

    response = client.get(reverse("tasking:membership_end", args=[membership.pk]))

    assert response.status_code == 404
