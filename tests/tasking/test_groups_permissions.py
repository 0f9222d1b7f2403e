"""Who sees and sets up tasking groups, over every role, written out by hand."""

import pytest
from django.utils import timezone

from cre_portal.accounts.roles import Role
from tasking.permissions.groups import (
    can_manage_tasking_groups,
    can_see_clearances,
    chair_candidates,
    member_candidates,
    visible_groups,
)
from tests.accounts.factories import UserFactory
from tests.tasking.factories import GroupMembershipFactory, TaskingGroupFactory

pytestmark = pytest.mark.django_db

NO_ROLE, OTHER_TEAM = "no role", "other team social worker"
PERSONAS = [*(role.value for role in Role), NO_ROLE, OTHER_TEAM]
MANAGES_GROUPS = {Role.TASKING_CHAIR, Role.ADMINISTRATOR}


@pytest.fixture
def users(team, other_team):
    users = {role.value: UserFactory(team=team, roles=[role]) for role in Role}
    users[NO_ROLE] = UserFactory(team=team)
    users[OTHER_TEAM] = UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])
    return users


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sets_up_groups(users, persona):
    assert can_manage_tasking_groups(users[persona]) == (persona in MANAGES_GROUPS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_group_is_seen_by_its_members_its_chair_and_those_who_set_groups_up(users, persona):
    # given: the partner and the social worker are members; the team manager has left
    group = TaskingGroupFactory(chair=users[Role.TASKING_CHAIR])
    GroupMembershipFactory(group=group, user=users[Role.PARTNER_MEMBER])
    GroupMembershipFactory(group=group, user=users[Role.SOCIAL_WORKER])
    GroupMembershipFactory(group=group, user=users[Role.TEAM_MANAGER], left_on=timezone.localdate())
    sees = MANAGES_GROUPS | {Role.PARTNER_MEMBER, Role.SOCIAL_WORKER}

    # when
    seen = visible_groups(users[persona]).filter(pk=group.pk).exists()

    # then
    assert seen == (persona in sees)


def test_a_chair_without_the_capability_still_sees_the_group_they_chair(users):
    group = TaskingGroupFactory(chair=users[Role.TASKING_CHAIR])
    users[Role.TASKING_CHAIR].groups.clear()
    chair = type(users[Role.TASKING_CHAIR]).objects.get(pk=group.chair_id)  # no cached perms

    assert visible_groups(chair).filter(pk=group.pk).exists()
    assert can_see_clearances(chair, group)


def test_a_deactivated_user_sees_no_group(users):
    admin = users[Role.ADMINISTRATOR]
    admin.is_active = False

    assert not visible_groups(admin).exists()
    assert not can_manage_tasking_groups(admin)


def test_clearances_are_seen_by_the_chair_and_those_who_set_groups_up(users):
    group = TaskingGroupFactory()
    member = GroupMembershipFactory(group=group).user

    assert can_see_clearances(group.chair, group)
    assert can_see_clearances(users[Role.ADMINISTRATOR], group)
    assert not can_see_clearances(member, group)


def test_only_tasking_chairs_may_chair(users):
    assert set(chair_candidates()) == {users[Role.TASKING_CHAIR]}


def test_members_may_come_from_any_role_but_not_twice(users):
    group = TaskingGroupFactory()
    GroupMembershipFactory(group=group, user=users[Role.PARTNER_MEMBER])

    candidates = set(member_candidates(group))

    assert users[Role.DIRECTOR] in candidates
    assert users[Role.PARTNER_MEMBER] not in candidates
    assert users[NO_ROLE] not in candidates
