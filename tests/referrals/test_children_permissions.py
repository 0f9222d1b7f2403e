"""Who may add, edit, restrict and move children: every role, no role, and another team."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cre_portal.accounts.models import Agency
from cre_portal.accounts.roles import Role
from referrals.permissions.children import (
    allocatable_teams,
    allocatable_workers,
    can_add_child,
    can_change_child_team,
    can_edit_child,
    can_restrict_child,
)
from tests.accounts.factories import TeamFactory, UserFactory
from tests.referrals.factories import ChildFactory

pytestmark = pytest.mark.django_db

NO_ROLE = "no role"
OTHER_TEAM = "other team's social worker"
PERSONAS = [*(role.value for role in Role), NO_ROLE, OTHER_TEAM]
MANAGERS = {Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.CP_MANAGER}

# Written out by hand from the intended rules, for a child of team A (the persona's own team
# unless they are OTHER_TEAM) not allocated to them: (adds, edits, restricts and moves team).
RULES = {
    Role.SOCIAL_WORKER: (True, True, False),
    Role.TEAM_MANAGER: (True, True, True),
    Role.SERVICE_MANAGER: (True, True, True),
    Role.CP_MANAGER: (True, True, True),
    Role.MISSING_OFFICER: (True, True, False),
    Role.TASKING_CHAIR: (False, False, False),
    Role.PARTNER_MEMBER: (False, False, False),
    Role.ANALYST: (False, False, False),
    Role.DIRECTOR: (False, False, False),
    Role.ADMINISTRATOR: (False, False, False),
    NO_ROLE: (False, False, False),
    # Adds children to their own team, but team A's child is out of their sight.
    OTHER_TEAM: (True, False, False),
}


def make_persona(persona, team_a, team_b):
    if persona == NO_ROLE:
        return UserFactory(team=team_a)
    if persona == OTHER_TEAM:
        return UserFactory(team=team_b, roles=[Role.SOCIAL_WORKER])
    return UserFactory(team=team_a, roles=[persona])


def test_every_persona_has_a_rule():
    assert set(RULES) == set(PERSONAS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_add_edit_restrict_and_move(persona):
    # given
    team_a, team_b = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    user = make_persona(persona, team_a, team_b)
    child = ChildFactory(team=team_a)
    adds, edits, manages = RULES[persona]

    # then
    assert can_add_child(user) is adds
    assert can_edit_child(user, child) is edits
    assert can_restrict_child(user, child) is manages
    assert can_change_child_team(user, child) is manages
    # On a new record: the managers, whatever their team.
    assert can_restrict_child(user, None) is (persona in MANAGERS)
    assert can_change_child_team(user, None) is (persona in MANAGERS)


def test_team_manager_cannot_restrict_another_teams_child(team_manager, other_team):
    child = ChildFactory(team=other_team)

    assert not can_restrict_child(team_manager, child)
    assert not can_change_child_team(team_manager, child)


def test_social_worker_edits_a_child_allocated_to_them_in_another_team(social_worker, other_team):
    child = ChildFactory(team=other_team, allocated_worker=social_worker)

    assert can_edit_child(social_worker, child)


def test_inactive_and_anonymous_users_may_do_nothing(team):
    leaver = UserFactory(team=team, roles=[Role.TEAM_MANAGER], is_active=False)
    child = ChildFactory(team=team)

    for user in (leaver, AnonymousUser()):
        assert not can_add_child(user)
        assert not can_edit_child(user, child)
        assert not can_restrict_child(user, None)


def test_managers_choose_any_social_care_team_others_only_their_own(team, other_team):
    police = TeamFactory(name="Police unit", agency=Agency.POLICE)
    manager = UserFactory(team=team, roles=[Role.SERVICE_MANAGER])
    worker = UserFactory(team=team, roles=[Role.SOCIAL_WORKER])

    assert set(allocatable_teams(manager)) == {team, other_team}
    assert police not in allocatable_teams(manager)
    assert list(allocatable_teams(worker)) == [team]


def test_workers_offered_are_active_and_in_the_team(team, other_team):
    worker = UserFactory(team=team, roles=[Role.SOCIAL_WORKER])
    colleague = UserFactory(team=team, roles=[Role.SOCIAL_WORKER])
    UserFactory(team=team, roles=[Role.SOCIAL_WORKER], is_active=False)
    elsewhere = UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])
    manager = UserFactory(team=None, roles=[Role.SERVICE_MANAGER])

    assert set(allocatable_workers(worker, team)) == {worker, colleague}
    assert not allocatable_workers(worker, None).exists()
    assert {worker, colleague, elsewhere} <= set(allocatable_workers(manager, None))
