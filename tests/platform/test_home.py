import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cre_portal.accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_missing import ReturnedEpisodeFactory
from tests.risk_assessment.factories_assessments import SubmittedAssessmentFactory

pytestmark = pytest.mark.django_db


def test_social_worker_sees_their_caseload(signed_in, social_worker):
    ChildFactory.create_batch(3, team=social_worker.team, allocated_worker=social_worker)
    ChildFactory(team=social_worker.team)

    response = signed_in(social_worker).get(reverse("home"))

    caseload = response.context["work"]["caseload"]
    assert (caseload["my_children_count"], caseload["team_children_count"]) == (3, 4)
    assert "referrals_to_screen" not in response.context["work"]


def test_missing_officer_sees_overdue_and_due_soon_interviews(signed_in, team):
    officer = UserFactory(team=team, roles=[Role.MISSING_OFFICER])
    now = timezone.now()
    for owner, hours_ago in [(officer, 80), (officer, 60), (None, 1)]:
        returned = now - datetime.timedelta(hours=hours_ago)
        ReturnedEpisodeFactory(
            rhi_owner=owner, started_at=returned - datetime.timedelta(hours=5), ended_at=returned
        )

    response = signed_in(officer).get(reverse("home"))

    rhi = response.context["work"]["rhi"]
    assert (rhi["mine_overdue"], rhi["mine_due_soon"], rhi["all_overdue"]) == (1, 1, 1)
    assert "Your return interviews overdue" in response.content.decode()


def test_home_costs_the_same_whatever_the_caseload(signed_in, team_manager):
    client = signed_in(team_manager)
    ChildFactory(team=team_manager.team, allocated_worker=team_manager)
    client.get(reverse("home"))  # warm the session and permission caches
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    ChildFactory.create_batch(30, team=team_manager.team, allocated_worker=team_manager)

    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("home"))

    assert response.status_code == 200
    assert len(large) == len(small) <= 30


def test_user_without_a_role_is_told_what_they_can_do(signed_in):
    response = signed_in(UserFactory()).get(reverse("home"))

    assert response.context["work"] == {}
    assert "You have no case work allocated" in response.content.decode()


def test_navigation_follows_the_users_capabilities(signed_in, team_manager, admin_user):
    manager_nav = signed_in(team_manager).get(reverse("home")).context["navigation"]
    admin_nav = signed_in(admin_user).get(reverse("home")).context["navigation"]

    assert [i["label"] for i in manager_nav] == [
        "Home",
        "Children",
        "Referrals",
        "Missing",
        "NRM",
        "Feedback",
        "Tasking",
        "Reports",
    ]
    assert [i["label"] for i in admin_nav] == [
        "Home",
        "Tasking",
        "Templates",
        "Imports",
        "Administration",
    ]


def test_manager_sees_assessments_waiting_for_approval(signed_in, team_manager, social_worker):
    child = ChildFactory(team=team_manager.team)
    SubmittedAssessmentFactory(child=child, created_by=social_worker)

    response = signed_in(team_manager).get(reverse("home"))

    assert response.context["work"]["oversight"]["awaiting_approval"] == 1
    assert "Risk assessments awaiting approval" in response.content.decode()
