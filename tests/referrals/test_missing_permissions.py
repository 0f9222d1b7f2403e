"""Who may see and record missing episodes, interviews and Philomena profiles: every role."""

import pytest

from cre_portal.accounts.roles import Role
from referrals.permissions.missing import (
    can_edit_philomena_profile,
    can_record_missing_episode,
    can_record_return_interview,
    can_start_referral_from_interview,
    rhi_owner_candidates,
    visible_missing_episodes,
)
from tests.accounts.factories import TeamFactory, UserFactory
from tests.referrals.factories import LookedAfterChildFactory
from tests.referrals.factories_missing import ReturnedEpisodeFactory

pytestmark = pytest.mark.django_db

NO_ROLE = "no role"
OTHER_TEAM = "social worker of another team"

# Written out by hand: the roles that hold cases see their team's children (social worker,
# team manager) or every child (service and CP managers, missing team), and record on them.
SEES_AND_RECORDS = {
    Role.SOCIAL_WORKER: True,
    Role.TEAM_MANAGER: True,
    Role.SERVICE_MANAGER: True,
    Role.CP_MANAGER: True,
    Role.MISSING_OFFICER: True,
    Role.TASKING_CHAIR: False,
    Role.PARTNER_MEMBER: False,
    Role.ANALYST: False,
    Role.DIRECTOR: False,
    Role.ADMINISTRATOR: False,
    NO_ROLE: False,
    OTHER_TEAM: False,
}


def test_table_covers_every_role():
    assert set(SEES_AND_RECORDS) == {*Role, NO_ROLE, OTHER_TEAM}


@pytest.fixture
def world():
    """A team-A looked-after child, allocated to nobody, with a returned episode."""
    team = TeamFactory(name="Team A")
    child = LookedAfterChildFactory(team=team)
    return {"team": team, "child": child, "episode": ReturnedEpisodeFactory(child=child)}


def make_user(persona, world):
    if persona == NO_ROLE:
        return UserFactory(team=world["team"])
    if persona == OTHER_TEAM:
        return UserFactory(team=TeamFactory(name="Team B"), roles=[Role.SOCIAL_WORKER])
    return UserFactory(team=world["team"], roles=[persona])


@pytest.mark.parametrize(("persona", "allowed"), SEES_AND_RECORDS.items())
def test_every_role(persona, allowed, world):
    user = make_user(persona, world)
    child, episode = world["child"], world["episode"]

    assert visible_missing_episodes(user).filter(pk=episode.pk).exists() is allowed
    assert can_record_missing_episode(user, child) is allowed
    assert can_record_return_interview(user, episode) is allowed
    assert can_start_referral_from_interview(user, episode) is allowed
    assert can_edit_philomena_profile(user, child) is allowed


def test_social_worker_sees_a_child_of_another_team_allocated_to_them(world):
    worker = UserFactory(team=TeamFactory(name="Team B"), roles=[Role.SOCIAL_WORKER])
    world["child"].allocated_worker = worker
    world["child"].save()

    assert can_record_missing_episode(worker, world["child"])
    assert visible_missing_episodes(worker).count() == 1


def test_inactive_user_sees_nothing(world):
    officer = UserFactory(team=world["team"], roles=[Role.MISSING_OFFICER], is_active=False)

    assert not visible_missing_episodes(officer).exists()
    assert not can_record_missing_episode(officer, world["child"])


def test_interview_owners_are_active_users_who_record_missing_episodes(world):
    officer = UserFactory(roles=[Role.MISSING_OFFICER])
    worker = UserFactory(roles=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER])
    UserFactory(roles=[Role.ANALYST])
    UserFactory(roles=[Role.MISSING_OFFICER], is_active=False)

    assert set(rhi_owner_candidates()) == {officer, worker}


def test_a_past_choice_stays_among_the_owners(world):
    left = UserFactory(roles=[Role.MISSING_OFFICER], is_active=False)
    officer = UserFactory(roles=[Role.MISSING_OFFICER])

    assert set(rhi_owner_candidates(including=left.pk)) == {left, officer}
