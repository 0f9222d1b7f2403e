"""Who may do what with referrals and notes: every role, no role, and another team's worker."""

import pytest

from cre_portal.accounts.roles import Role
from referrals.permissions.referrals import (
    allocatable_workers,
    can_add_case_note,
    can_allocate_referral,
    can_close_referral,
    can_edit_referral,
    can_list_referrals,
    can_record_referral,
    can_screen_referral,
    visible_case_notes,
    visible_referrals,
)
from tests.accounts.factories import TeamFactory, UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_referrals import CaseNoteFactory, ReferralFactory

pytestmark = pytest.mark.django_db

NO_ROLE = "no role"
OTHER_TEAM = "other team's social worker"
PERSONAS = [*(role.value for role in Role), NO_ROLE, OTHER_TEAM]

# Written out by hand from the intended rules: (sees, records, manages) for a child of the
# persona's own team that is not allocated to them.
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
    OTHER_TEAM: (False, False, False),
}


MANAGERS = {Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.CP_MANAGER}


@pytest.fixture
def home_team():
    return TeamFactory(name="Home team")


def _persona(name, home_team):
    if name == NO_ROLE:
        return UserFactory(team=home_team)
    if name == OTHER_TEAM:
        return UserFactory(team=TeamFactory(name="Away team"), roles=[Role.SOCIAL_WORKER])
    return UserFactory(team=home_team, roles=[name])


@pytest.mark.parametrize("persona", PERSONAS)
def test_referral_rules_for_every_role(persona, home_team):
    # given
    user = _persona(persona, home_team)
    referral = ReferralFactory(child__team=home_team)
    note = CaseNoteFactory(child=referral.child)
    sees, records, manages = RULES[persona]

    # then
    assert visible_referrals(user).filter(pk=referral.pk).exists() is sees
    assert visible_case_notes(user).filter(pk=note.pk).exists() is sees
    assert can_record_referral(user, referral.child) is records
    assert can_add_case_note(user, referral.child) is records
    assert can_edit_referral(user, referral) is records
    assert can_screen_referral(user, referral) is manages
    assert can_allocate_referral(user, referral) is manages
    assert can_close_referral(user, referral) is manages
    assert can_list_referrals(user) is (
        persona in {"team_manager", "service_manager", "cp_manager"}
    )


@pytest.mark.parametrize(
    ("role", "manages"),
    [(Role.TEAM_MANAGER, False), (Role.SERVICE_MANAGER, True), (Role.CP_MANAGER, True)],
)
def test_only_authority_wide_managers_manage_another_teams_referrals(role, manages, home_team):
    user = UserFactory(team=home_team, roles=[role])
    referral = ReferralFactory(child__team=TeamFactory(name="Away team"))

    assert can_screen_referral(user, referral) is manages
    assert visible_referrals(user).filter(pk=referral.pk).exists() is manages


def test_worker_allocated_to_the_child_in_another_team_may_record(home_team):
    worker = UserFactory(team=TeamFactory(name="Away team"), roles=[Role.SOCIAL_WORKER])
    child = ChildFactory(team=home_team, allocated_worker=worker)

    assert can_record_referral(worker, child)


def test_inactive_user_can_do_nothing(home_team):
    user = UserFactory(team=home_team, roles=[Role.TEAM_MANAGER], is_active=False)
    referral = ReferralFactory(child__team=home_team)

    assert not visible_referrals(user).exists()
    assert not can_screen_referral(user, referral)


def test_allocatable_workers_are_active_case_holders_who_can_open_the_child(home_team):
    # given
    away = TeamFactory(name="Away team")
    child = ChildFactory(team=home_team)
    expected = {
        UserFactory(team=home_team, roles=[Role.SOCIAL_WORKER]),
        UserFactory(team=home_team, roles=[Role.TEAM_MANAGER]),
        UserFactory(team=away, roles=[Role.SERVICE_MANAGER]),
        UserFactory(team=away, roles=[Role.MISSING_OFFICER]),
    }
    allocated_elsewhere = UserFactory(team=away, roles=[Role.SOCIAL_WORKER])
    child.allocated_worker = allocated_elsewhere
    child.save()
    expected.add(allocated_elsewhere)
    UserFactory(team=home_team, roles=[Role.SOCIAL_WORKER], is_active=False)
    UserFactory(team=away, roles=[Role.SOCIAL_WORKER])
    UserFactory(team=home_team, roles=[Role.ANALYST])
    UserFactory(team=home_team)

    # when
    workers = set(allocatable_workers(child))

    # then
    assert workers == expected


def test_allocatable_workers_for_a_child_without_a_team():
    child = ChildFactory(team=None)
    teamless_worker = UserFactory(team=None, roles=[Role.SOCIAL_WORKER])
    manager = UserFactory(roles=[Role.CP_MANAGER])

    workers = set(allocatable_workers(child))

    assert manager in workers
    assert teamless_worker not in workers
