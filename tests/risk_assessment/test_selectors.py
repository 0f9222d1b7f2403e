"""Dashboard reads: awaiting approval, overdue and due reviews, my drafts; each scoped."""

import datetime

import pytest

from cre_portal.accounts.roles import Role
from risk_assessment.selectors import (
    assessments_awaiting_approval,
    my_draft_assessments,
    my_due_reviews,
    overdue_reviews,
)
from risk_assessment.services.assessments import assessment_submit
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_assessments import (
    ApprovedAssessmentFactory,
    AssessmentFactory,
    CompleteAssessmentFactory,
    SubmittedAssessmentFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 3)


def days(n):
    return TODAY + datetime.timedelta(days=n)


# --- Awaiting approval --------------------------------------------------------------------------
def test_awaiting_approval_lists_submitted_assessments_the_manager_may_decide(
    team, other_team, team_manager, social_worker
):
    # given
    older = SubmittedAssessmentFactory(
        child=ChildFactory(team=team),
        submitted_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
    )
    newer = SubmittedAssessmentFactory(
        child=ChildFactory(team=team),
        submitted_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
    )
    SubmittedAssessmentFactory(child=ChildFactory(team=team), created_by=team_manager)  # own
    SubmittedAssessmentFactory(child=ChildFactory(team=other_team))  # out of scope
    AssessmentFactory(child=ChildFactory(team=team))  # a draft
    ApprovedAssessmentFactory(child=ChildFactory(team=team))  # decided

    # when
    waiting = list(assessments_awaiting_approval(team_manager))

    # then
    assert waiting == [older, newer]


def test_awaiting_approval_leaves_out_what_the_manager_submitted(team, team_manager):
    assessment = CompleteAssessmentFactory(child=ChildFactory(team=team))
    assessment_submit(assessment=assessment, actor=team_manager, expected_version=1)

    assert not assessments_awaiting_approval(team_manager).exists()


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.SOCIAL_WORKER, False),
        (Role.MISSING_OFFICER, False),
        (Role.TEAM_MANAGER, True),
        (Role.SERVICE_MANAGER, True),
        (Role.CP_MANAGER, True),
        (Role.DIRECTOR, False),
    ],
)
def test_awaiting_approval_is_for_approvers_only(team, role, sees):
    SubmittedAssessmentFactory(child=ChildFactory(team=team))

    assert assessments_awaiting_approval(UserFactory(team=team, roles=[role])).exists() is sees


def test_awaiting_approval_takes_a_fixed_number_of_queries(
    team, team_manager, django_assert_max_num_queries
):
    for _ in range(5):
        SubmittedAssessmentFactory(child=ChildFactory(team=team))

    # The capability check (two queries, then cached) and one query for the rows.
    with django_assert_max_num_queries(3):
        rows = [
            (a.child.full_name, a.created_by.display_name)
            for a in assessments_awaiting_approval(team_manager)
        ]

    assert len(rows) == 5


# --- My drafts ----------------------------------------------------------------------------------
def test_my_drafts_lists_my_draft_and_returned_assessments_returned_first(team, social_worker):
    child = ChildFactory(team=team, allocated_worker=social_worker)
    draft = AssessmentFactory(child=child, created_by=social_worker)
    returned = AssessmentFactory(
        child=ChildFactory(team=team), created_by=social_worker, status="RETURNED"
    )
    SubmittedAssessmentFactory(child=child, created_by=social_worker)
    AssessmentFactory(child=ChildFactory(team=team))  # a colleague's

    assert list(my_draft_assessments(social_worker)) == [returned, draft]


def test_my_drafts_are_scoped(team, other_team, social_worker):
    # A draft about a child no longer in the worker's scope (moved to another team).
    AssessmentFactory(child=ChildFactory(team=other_team), created_by=social_worker)

    assert not my_draft_assessments(social_worker).exists()


# --- Reviews ------------------------------------------------------------------------------------
def test_overdue_reviews_lists_children_past_their_review_date_oldest_first(
    team, other_team, team_manager
):
    late = ChildFactory(team=team, next_review_on=days(-10))
    later = ChildFactory(team=team, next_review_on=days(-1))
    ChildFactory(team=team, next_review_on=TODAY)  # due today: not overdue
    ChildFactory(team=team)  # never assessed
    ChildFactory(team=other_team, next_review_on=days(-5))  # out of scope

    assert list(overdue_reviews(team_manager, TODAY)) == [late, later]


def test_overdue_reviews_for_a_service_manager_cover_every_team(team, other_team):
    manager = UserFactory(team=team, roles=[Role.SERVICE_MANAGER])
    ours = ChildFactory(team=team, next_review_on=days(-3))
    theirs = ChildFactory(team=other_team, next_review_on=days(-2))

    assert list(overdue_reviews(manager, TODAY)) == [ours, theirs]


def test_overdue_reviews_are_empty_for_someone_who_sees_no_children(team):
    ChildFactory(team=team, next_review_on=days(-3))

    assert not overdue_reviews(UserFactory(team=team, roles=[Role.ANALYST]), TODAY).exists()


def test_my_due_reviews_are_my_children_due_within_14_days_or_overdue(team, social_worker):
    overdue = ChildFactory(team=team, allocated_worker=social_worker, next_review_on=days(-2))
    soon = ChildFactory(team=team, allocated_worker=social_worker, next_review_on=days(14))
    ChildFactory(team=team, allocated_worker=social_worker, next_review_on=days(15))  # later
    ChildFactory(team=team, next_review_on=days(3))  # a colleague's child

    assert list(my_due_reviews(social_worker, TODAY)) == [overdue, soon]
    assert list(my_due_reviews(social_worker, TODAY, within_days=0)) == [overdue]
