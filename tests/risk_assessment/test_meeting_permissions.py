import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cre_portal.accounts.roles import Role
from referrals.codes import RiskLevel
from risk_assessment.permissions.meetings import (
    can_book_meeting,
    can_update_action,
    eligible_chairs,
    required_chair_role,
    visible_meeting_actions,
    visible_meetings,
)
from risk_assessment.selectors_meetings import meetings_without_childs_views, my_open_actions
from tests.accounts.factories import UserFactory
from tests.risk_assessment.factories_meetings import (
    HeldMeetingFactory,
    HighRiskChildFactory,
    MeetingActionFactory,
    cp_manager,
    service_manager,
)

pytestmark = pytest.mark.django_db

# Written by hand from the intended rules: who sees a team-A child's meetings, who books them.
SEES = {
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.SERVICE_MANAGER,
    Role.CP_MANAGER,
    Role.MISSING_OFFICER,
}
BOOKS = {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.CP_MANAGER}
ACTORS = [*Role, "no role", "other team"]


@pytest.fixture
def child(team):
    return HighRiskChildFactory(team=team)


def actor_for(who, team, other_team):
    if who == "no role":
        return UserFactory(team=team)
    if who == "other team":
        return UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])
    return UserFactory(team=team, roles=[who])


@pytest.mark.parametrize(
    ("level", "role"),
    [(RiskLevel.HIGH, "cp_manager"), (RiskLevel.MEDIUM, "service_manager"), (RiskLevel.LOW, None)],
)
def test_required_chair_role(level, role):
    assert required_chair_role(level) == role


@pytest.mark.parametrize("who", ACTORS)
def test_meetings_and_actions_are_seen_by_those_who_see_the_child(who, team, other_team, child):
    action = MeetingActionFactory(meeting=HeldMeetingFactory(child=child))
    actor = actor_for(who, team, other_team)

    sees = who in SEES

    assert visible_meetings(actor).filter(pk=action.meeting.pk).exists() == sees
    assert visible_meeting_actions(actor).filter(pk=action.pk).exists() == sees


@pytest.mark.parametrize("who", ACTORS)
def test_booking_needs_the_capability_and_the_child_in_scope(who, team, other_team, child):
    actor = actor_for(who, team, other_team)

    assert can_book_meeting(actor, child) == (who in BOOKS)


@pytest.mark.parametrize("who", ACTORS)
def test_updating_an_action_is_for_bookers_and_the_owner(who, team, other_team, child):
    actor = actor_for(who, team, other_team)
    theirs = MeetingActionFactory(meeting=HeldMeetingFactory(child=child), owner=actor)
    someone_elses = MeetingActionFactory(meeting=theirs.meeting)

    assert can_update_action(actor, someone_elses) == (who in BOOKS)
    # Their own action: as long as they can see the child.
    assert can_update_action(actor, theirs) == (who in SEES)


def test_anonymous_sees_no_meetings():
    HeldMeetingFactory()

    assert not visible_meetings(AnonymousUser()).exists()


def test_eligible_chairs_by_level(team):
    cp, service = cp_manager(full_name="Ann CP"), service_manager(full_name="Bo Service")
    worker = UserFactory(roles=[Role.SOCIAL_WORKER])
    cp_manager(is_active=False)
    UserFactory(roles=[Role.MISSING_OFFICER])

    assert list(eligible_chairs(RiskLevel.HIGH)) == [cp]
    assert list(eligible_chairs(RiskLevel.MEDIUM)) == [service]
    assert set(eligible_chairs(RiskLevel.LOW)) == {cp, service, worker}


# --- Dashboard selectors ------------------------------------------------------------------------
def test_meetings_without_childs_views_are_scoped(team, other_team, child, social_worker):
    missing = HeldMeetingFactory(child=child, child_views="", child_views_not_obtained="")
    HeldMeetingFactory(child=child)
    HeldMeetingFactory(
        child=HighRiskChildFactory(team=other_team), child_views="", child_views_not_obtained=""
    )

    assert list(meetings_without_childs_views(social_worker)) == [missing]


def test_my_open_actions_are_mine_open_and_marked_overdue(child, social_worker):
    today = timezone.localdate()
    meeting = HeldMeetingFactory(child=child)
    late = MeetingActionFactory(
        meeting=meeting, owner=social_worker, due_on=today - datetime.timedelta(days=1)
    )
    soon = MeetingActionFactory(meeting=meeting, owner=social_worker)
    MeetingActionFactory(meeting=meeting, owner=social_worker, status="DONE")
    MeetingActionFactory(meeting=meeting)

    actions = list(my_open_actions(social_worker, today))

    assert actions == [late, soon]
    assert [action.is_overdue for action in actions] == [True, False]
