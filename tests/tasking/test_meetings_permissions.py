"""Who sees and runs tasking meetings and actions: every role, as outsider, member, cleared
member and chair. The tables are written by hand from the intended rules."""

import pytest
from django.utils import timezone

from cre_portal.accounts.roles import Role
from tasking.permissions.actions import can_update_action, visible_actions
from tasking.permissions.meetings import (
    can_chair_meeting,
    can_decide_escalation,
    can_plan_meeting,
    can_raise_escalation,
    can_see_agenda,
    visible_agenda_items,
    visible_escalations,
    visible_meetings,
)
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.tasking.factories import GroupMembershipFactory
from tests.tasking.factories_meetings import (
    ActionFactory,
    AgendaItemFactory,
    CovertActionFactory,
    EscalationFactory,
    PublishedMeetingFactory,
    TaskingMeetingFactory,
    tiered_groups,
)

pytestmark = pytest.mark.django_db
ROLES = [*(role.value for role in Role), "no role", "other team social worker"]
# Those who set groups up (the tasking chair role and the administrator) see every group's
# meetings and immediate actions and may plan meetings; nobody else does unless a member.
MANAGES_GROUPS = {Role.TASKING_CHAIR.value, Role.ADMINISTRATOR.value}


def persona(name: str, team, other_team):
    if name == "no role":
        return UserFactory(team=team)
    if name == "other team social worker":
        return UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])
    return UserFactory(team=team, roles=[name])


@pytest.fixture
def world():
    operational, _ = tiered_groups()
    meeting = PublishedMeetingFactory(group=operational)
    draft = TaskingMeetingFactory(group=operational)
    AgendaItemFactory(meeting=draft)
    return {
        "group": operational,
        "meeting": meeting,
        "draft": draft,
        "immediate": ActionFactory(meeting=meeting),
        "covert": CovertActionFactory(meeting=meeting),
        "escalation": EscalationFactory(from_group=operational, child=ChildFactory()),
    }


def sees(user, world) -> dict:
    actions = visible_actions(user)
    return {
        "meetings": visible_meetings(user).filter(pk=world["meeting"].pk).exists(),
        "draft items": visible_agenda_items(user).filter(meeting=world["draft"]).exists(),
        "plan": can_plan_meeting(user, world["group"]),
        "chair": can_chair_meeting(user, world["meeting"]),
        "immediate": actions.filter(pk=world["immediate"].pk).exists(),
        "covert": actions.filter(pk=world["covert"].pk).exists(),
        "escalations": visible_escalations(user).exists(),
    }


@pytest.mark.parametrize("role", ROLES)
def test_outsiders(role, world, team, other_team):
    user = persona(role, team, other_team)
    manages = role in MANAGES_GROUPS

    assert sees(user, world) == {
        "meetings": manages,
        "draft items": False,
        "plan": manages,
        "chair": False,
        "immediate": manages,
        "covert": False,
        "escalations": manages,
    }


@pytest.mark.parametrize("role", ROLES)
def test_members_without_clearance(role, world, team, other_team):
    user = persona(role, team, other_team)
    GroupMembershipFactory(group=world["group"], user=user)

    assert sees(user, world) == {
        "meetings": True,
        "draft items": False,
        "plan": role in MANAGES_GROUPS,
        "chair": False,
        "immediate": True,
        "covert": False,
        "escalations": True,
    }


@pytest.mark.parametrize("role", ROLES)
def test_cleared_members_see_covert_actions_whatever_their_role(role, world, team, other_team):
    user = persona(role, team, other_team)
    GroupMembershipFactory(group=world["group"], user=user, has_covert_clearance=True)

    assert sees(user, world)["covert"] is True


@pytest.mark.parametrize("role", ROLES)
def test_leaving_ends_sight_of_covert_actions(role, world, team, other_team):
    user = persona(role, team, other_team)
    GroupMembershipFactory(
        group=world["group"], user=user, has_covert_clearance=True, left_on=timezone.localdate()
    )

    assert sees(user, world)["covert"] is False


def test_the_groups_chair_runs_its_meetings(world):
    chair = world["group"].chair

    assert sees(chair, world) == {
        "meetings": True,
        "draft items": True,
        "plan": True,
        "chair": True,
        "immediate": True,
        "covert": True,
        "escalations": True,
    }
    assert can_see_agenda(chair, world["draft"])
    assert can_raise_escalation(chair, world["meeting"])
    assert can_update_action(chair, world["covert"])


def test_a_superuser_is_not_cleared(world):
    superuser = UserFactory(is_superuser=True, is_staff=True)

    assert sees(superuser, world)["covert"] is False
    assert sees(superuser, world)["chair"] is False


def test_inactive_users_see_nothing(world):
    chair = world["group"].chair
    chair.is_active = False
    chair.save()

    assert not any(sees(chair, world).values())


def test_only_the_receiving_chair_decides(world):
    escalation = world["escalation"]

    assert can_decide_escalation(escalation.to_group.chair, escalation)
    assert not can_decide_escalation(escalation.from_group.chair, escalation)
    assert not can_raise_escalation(escalation.to_group.chair, world["meeting"])
