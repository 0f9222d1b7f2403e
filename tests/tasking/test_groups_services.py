import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cre_portal.accounts.models import AudienceMembership
from cre_portal.accounts.roles import Role
from tasking.models import GroupMembership, Tier
from tasking.services.groups import (
    group_create,
    group_update,
    membership_add,
    membership_end,
    membership_set_clearance,
)
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


def in_audience(user, group) -> bool:
    return AudienceMembership.objects.filter(user=user, audience=f"tasking:{group.pk}").exists()


@pytest.fixture
def manager():
    return UserFactory(team=None, roles=[Role.ADMINISTRATOR])


@pytest.fixture
def strategic():
    return StrategicGroupFactory(escalates_to=GovernanceGroupFactory())


def group_fields(**overrides):
    fields = {
        "name": "North operational tasking",
        "tier": Tier.OPERATIONAL,
        "chair": tasking_chair(),
        "cadence_days": 14,
        "description": "",
    }
    return {**fields, **overrides}


# --- Setting up a group ------------------------------------------------------------------------
def test_group_create_puts_the_chair_in_the_audience(manager, strategic):
    group = group_create(actor=manager, **group_fields(escalates_to=strategic))

    assert group.escalates_to == strategic
    assert in_audience(group.chair, group)


def test_only_those_who_manage_groups_create_them(strategic):
    social_worker = UserFactory(roles=[Role.SOCIAL_WORKER])

    with pytest.raises(PermissionDenied):
        group_create(actor=social_worker, **group_fields(escalates_to=strategic))


def test_the_chair_must_hold_the_tasking_chair_role(manager, strategic):
    not_a_chair = UserFactory(roles=[Role.SOCIAL_WORKER])

    with pytest.raises(ValidationError) as error:
        group_create(actor=manager, **group_fields(chair=not_a_chair, escalates_to=strategic))

    assert "tasking chair role" in error.value.message_dict["chair"][0]


@pytest.mark.parametrize(
    ("tier", "target_tier", "accepted"),
    [
        (Tier.OPERATIONAL, Tier.STRATEGIC, True),
        (Tier.OPERATIONAL, Tier.GOVERNANCE, False),
        (Tier.OPERATIONAL, Tier.OPERATIONAL, False),
        (Tier.STRATEGIC, Tier.GOVERNANCE, True),
        (Tier.STRATEGIC, Tier.STRATEGIC, False),
        (Tier.GOVERNANCE, Tier.GOVERNANCE, False),
    ],
)
def test_groups_escalate_exactly_one_tier_up(manager, tier, target_tier, accepted):
    target = TaskingGroupFactory(tier=target_tier)
    fields = group_fields(tier=tier, escalates_to=target)

    if accepted:
        assert group_create(actor=manager, **fields).escalates_to == target
    else:
        with pytest.raises(ValidationError) as error:
            group_create(actor=manager, **fields)
        assert "escalates_to" in error.value.message_dict


def test_governance_escalates_nowhere_and_the_others_must_escalate(manager):
    governance = group_create(actor=manager, **group_fields(tier=Tier.GOVERNANCE))

    with pytest.raises(ValidationError) as error:
        group_create(actor=manager, **group_fields(name="Another", tier=Tier.STRATEGIC))

    assert governance.escalates_to is None
    assert error.value.message_dict["escalates_to"] == [
        "Select the governance group this group escalates to"
    ]


def test_an_inactive_group_cannot_be_escalated_to(manager):
    closed = StrategicGroupFactory(is_active=False)

    with pytest.raises(ValidationError) as error:
        group_create(actor=manager, **group_fields(escalates_to=closed))

    assert error.value.message_dict["escalates_to"] == ["Select a group that is still active"]


def test_group_names_are_unique_whatever_the_case(manager, strategic):
    with pytest.raises(ValidationError) as error:
        group_create(
            actor=manager, **group_fields(name=strategic.name.upper(), tier=Tier.GOVERNANCE)
        )

    assert "name" in error.value.message_dict


# --- Changing a group --------------------------------------------------------------------------
def test_a_new_chair_joins_the_audience_and_the_old_one_leaves(manager, strategic):
    group = TaskingGroupFactory(escalates_to=strategic)
    old_chair, new_chair = group.chair, tasking_chair()

    group_update(group=group, actor=manager, changes={"chair": new_chair})

    assert in_audience(new_chair, group)
    assert not in_audience(old_chair, group)


def test_an_old_chair_who_is_also_a_member_stays_in_the_audience(manager, strategic):
    group = TaskingGroupFactory(escalates_to=strategic)
    old_chair = group.chair
    GroupMembershipFactory(group=group, user=old_chair)

    group_update(group=group, actor=manager, changes={"chair": tasking_chair()})

    assert in_audience(old_chair, group)


def test_the_tier_of_a_group_others_escalate_to_cannot_change(manager, strategic):
    TaskingGroupFactory(escalates_to=strategic)

    with pytest.raises(ValidationError) as error:
        group_update(
            group=strategic, actor=manager, changes={"tier": Tier.GOVERNANCE, "escalates_to": None}
        )

    assert "tier" in error.value.message_dict


def test_group_update_keeps_the_escalation_rule(manager, strategic):
    group = TaskingGroupFactory(escalates_to=strategic)

    with pytest.raises(ValidationError):
        group_update(group=group, actor=manager, changes={"escalates_to": group})


def test_group_update_needs_the_capability(strategic):
    group = TaskingGroupFactory(escalates_to=strategic)

    with pytest.raises(PermissionDenied):
        group_update(group=group, actor=partner_member(), changes={"cadence_days": 28})


# --- Members -----------------------------------------------------------------------------------
def test_adding_a_member_from_any_agency_puts_them_in_the_audience(manager):
    group = TaskingGroupFactory()
    officer = partner_member()

    membership = membership_add(group=group, user=officer, actor=manager, has_covert_clearance=True)

    assert membership.joined_on == timezone.localdate()
    assert membership.has_covert_clearance
    assert in_audience(officer, group)


def test_a_current_member_cannot_be_added_twice(manager):
    membership = GroupMembershipFactory()

    with pytest.raises(ValidationError):
        membership_add(group=membership.group, user=membership.user, actor=manager)


def test_a_former_member_can_join_again(manager):
    membership = GroupMembershipFactory(left_on=timezone.localdate())

    again = membership_add(group=membership.group, user=membership.user, actor=manager)

    assert again.pk != membership.pk
    assert in_audience(membership.user, membership.group)


def test_an_inactive_account_cannot_join(manager):
    with pytest.raises(ValidationError):
        membership_add(
            group=TaskingGroupFactory(), user=UserFactory(is_active=False), actor=manager
        )


def test_ending_a_membership_keeps_the_row_and_ends_the_audience(manager):
    membership = GroupMembershipFactory()

    membership_end(membership=membership, actor=manager)

    membership.refresh_from_db()
    assert membership.left_on == timezone.localdate()
    assert not in_audience(membership.user, membership.group)
    assert GroupMembership.objects.filter(pk=membership.pk).exists()


def test_the_chair_stays_in_the_audience_after_leaving_as_a_member(manager):
    group = TaskingGroupFactory()
    membership = GroupMembershipFactory(group=group, user=group.chair)

    membership_end(membership=membership, actor=manager)

    assert in_audience(group.chair, group)


def test_a_membership_ends_once_and_not_before_it_began(manager):
    membership = GroupMembershipFactory()
    before = membership.joined_on - datetime.timedelta(days=1)

    with pytest.raises(ValidationError):
        membership_end(membership=membership, actor=manager, left_on=before)
    membership_end(membership=membership, actor=manager)
    with pytest.raises(ValidationError):
        membership_end(membership=membership, actor=manager)


def test_members_are_changed_only_by_those_who_manage_groups():
    membership = GroupMembershipFactory()
    member = membership.user

    with pytest.raises(PermissionDenied):
        membership_add(group=membership.group, user=UserFactory(), actor=member)
    with pytest.raises(PermissionDenied):
        membership_end(membership=membership, actor=member)
    with pytest.raises(PermissionDenied):
        membership_set_clearance(membership=membership, has_covert_clearance=True, actor=member)


def test_clearance_can_be_granted_and_withdrawn(manager):
    membership = GroupMembershipFactory()

    membership_set_clearance(membership=membership, has_covert_clearance=True, actor=manager)
    membership.refresh_from_db()
    assert membership.has_covert_clearance
    membership_set_clearance(membership=membership, has_covert_clearance=False, actor=manager)
    membership.refresh_from_db()
    assert not membership.has_covert_clearance


def test_a_former_member_has_no_clearance_to_change(manager):
    membership = GroupMembershipFactory(left_on=timezone.localdate())

    with pytest.raises(ValidationError):
        membership_set_clearance(membership=membership, has_covert_clearance=True, actor=manager)
