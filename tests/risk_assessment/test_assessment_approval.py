"""Submitting, approving and returning: who may, the lowering rule, the review date, the child."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from cre_portal.concurrency import StaleEdit
from referrals.codes import RiskLevel
from risk_assessment.models import Assessment, OfferItem
from risk_assessment.scoring import PRESENT
from risk_assessment.services import assessments as services
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.risk_assessment.factories_assessments import (
    ApprovedAssessmentFactory,
    AssessmentFactory,
    CompleteAssessmentFactory,
    SubmittedAssessmentFactory,
    small_template,
)
from tests.risk_assessment.factories_offer import InterventionFactory

pytestmark = pytest.mark.django_db

Status = Assessment.Status
HIGH, MEDIUM, LOW = RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW
TODAY = datetime.date(2026, 3, 3)


@pytest.fixture(autouse=True)
def pin_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def child(social_worker):
    return ChildFactory(team=social_worker.team, allocated_worker=social_worker)


@pytest.fixture
def template():
    return small_template()


def submitted(child, social_worker, template, **kwargs):
    return SubmittedAssessmentFactory(
        child=child, template=template, created_by=social_worker, **kwargs
    )


def approve(assessment, actor, **kwargs):
    return services.assessment_approve(
        assessment=assessment, actor=actor, expected_version=assessment.version, **kwargs
    )


def submit(assessment, actor):
    return services.assessment_submit(
        assessment=assessment, actor=actor, expected_version=assessment.version
    )


# --- Submitting ---------------------------------------------------------------------------------
def test_submit_a_complete_assessment(child, social_worker, template):
    # given
    assessment = CompleteAssessmentFactory(
        child=child, template=template, created_by=social_worker, answers={"went-missing": PRESENT}
    )

    # when
    done = submit(assessment, social_worker)

    # then
    assert done.status == Status.SUBMITTED
    assert done.submitted_at is not None
    event = CaseEvent.objects.get(verb="assessment_submitted")
    assert event.summary == (
        f"Risk assessment {assessment.assessment_ref} submitted for approval: Low (score 3)"
    )
    assert event.actor == social_worker


def test_submit_lists_everything_missing(child, social_worker, template):
    # given: one present without evidence, two unanswered, no type, no child's view
    assessment = AssessmentFactory(
        child=child,
        template=template,
        created_by=social_worker,
        answers={
            "went-missing": "NOT_PRESENT",
            "older-associates": "NOT_PRESENT",
            "unexplained-money": "NOT_KNOWN",
        },
    )
    assessment.answers.filter(indicator__code="unexplained-money").update(answer=PRESENT)

    # when
    with pytest.raises(ValidationError) as error:
        submit(assessment, social_worker)

    # then
    assert error.value.messages == [
        "Enter the evidence for each indicator present in Money, gifts and debts",
        "Answer every indicator in Places and travel (1 not answered)",
        "Answer every indicator in Online (1 not answered)",
        "Select the type of exploitation",
        "Enter the child's view, or why it could not be obtained",
    ]
    assert Assessment.objects.get(pk=assessment.pk).status == Status.DRAFT


def test_not_known_is_an_answer(child, social_worker, template):
    assessment = CompleteAssessmentFactory(
        child=child, template=template, created_by=social_worker, answers__default="NOT_KNOWN"
    )

    assert submit(assessment, social_worker).status == Status.SUBMITTED


def test_a_submitted_assessment_cannot_be_submitted_again(child, social_worker, template):
    assessment = submitted(child, social_worker, template)

    with pytest.raises(ValidationError, match="cannot be changed now"):
        submit(assessment, social_worker)


# --- Who approves -------------------------------------------------------------------------------
@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.CP_MANAGER])
def test_managers_approve(child, social_worker, template, role):
    manager = UserFactory(team=child.team, roles=[role])

    assert approve(submitted(child, social_worker, template), manager).status == Status.APPROVED


@pytest.mark.parametrize(
    "role",
    [
        Role.SOCIAL_WORKER,
        Role.MISSING_OFFICER,
        Role.TASKING_CHAIR,
        Role.PARTNER_MEMBER,
        Role.ANALYST,
        Role.DIRECTOR,
        Role.ADMINISTRATOR,
    ],
)
def test_other_roles_cannot_approve(child, social_worker, template, role):
    assessment = submitted(child, social_worker, template)

    with pytest.raises(PermissionDenied):
        approve(assessment, UserFactory(team=child.team, roles=[role]))


def test_a_manager_cannot_approve_their_own_assessment(child, template, team_manager):
    own = SubmittedAssessmentFactory(child=child, template=template, created_by=team_manager)

    with pytest.raises(PermissionDenied):
        approve(own, team_manager)


def test_a_manager_who_submitted_it_cannot_approve_it(child, social_worker, template, team_manager):
    # given: the worker wrote it, the manager submitted it
    assessment = CompleteAssessmentFactory(child=child, template=template, created_by=social_worker)
    submit(assessment, team_manager)

    with pytest.raises(PermissionDenied):
        approve(Assessment.objects.get(pk=assessment.pk), team_manager)


def test_a_manager_of_another_team_cannot_approve(child, social_worker, template, other_team):
    assessment = submitted(child, social_worker, template)

    with pytest.raises(PermissionDenied):
        approve(assessment, UserFactory(team=other_team, roles=[Role.TEAM_MANAGER]))


def test_only_submitted_assessments_are_approved(child, social_worker, template, team_manager):
    draft = CompleteAssessmentFactory(child=child, template=template, created_by=social_worker)

    with pytest.raises(ValidationError, match="Only an assessment that has been submitted"):
        approve(draft, team_manager)


def test_a_stale_approval_is_refused(child, social_worker, template, team_manager):
    assessment = submitted(child, social_worker, template)

    with pytest.raises(StaleEdit):
        services.assessment_approve(
            assessment=assessment, actor=team_manager, expected_version=assessment.version - 1
        )


# --- What approval does -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("answers", "level", "review_on"),
    [
        ({"trap-house": PRESENT}, HIGH, datetime.date(2026, 3, 31)),
        (
            {"unexplained-money": PRESENT, "went-missing": PRESENT},
            MEDIUM,
            datetime.date(2026, 4, 28),
        ),
        ({}, LOW, datetime.date(2026, 5, 26)),
    ],
)
def test_approval_sets_the_review_date_by_level_and_records_it_on_the_child(
    child, social_worker, template, team_manager, answers, level, review_on
):
    # given
    assessment = submitted(child, social_worker, template, answers=answers)

    # when
    approved = approve(assessment, team_manager)

    # then
    assert (approved.status, approved.level, approved.completed_on) == (
        Status.APPROVED,
        level,
        TODAY,
    )
    assert approved.next_review_on == review_on
    assert (approved.decided_by, approved.decided_at is not None) == (team_manager, True)
    child.refresh_from_db()
    assert (child.risk_level, child.risk_assessed_on, child.next_review_on) == (
        level,
        TODAY,
        review_on,
    )


def test_the_review_interval_follows_the_setting(
    child, social_worker, template, team_manager, settings
):
    settings.RISK_REVIEW_WEEKS = {"HIGH": 2, "MEDIUM": 6, "LOW": 10}
    assessment = submitted(child, social_worker, template, answers={"trap-house": PRESENT})

    assert approve(assessment, team_manager).next_review_on == datetime.date(2026, 3, 17)


def test_approval_moves_the_childs_version_on(child, social_worker, template, team_manager):
    version = child.version

    approve(submitted(child, social_worker, template), team_manager)

    child.refresh_from_db()
    assert child.version == version + 1


def test_approval_records_a_significant_event_when_high(
    child, social_worker, template, team_manager
):
    assessment = submitted(child, social_worker, template, answers={"trap-house": PRESENT})

    approve(assessment, team_manager)

    event = CaseEvent.objects.get(verb="assessment_approved")
    assert event.summary == "Risk assessment approved: High (score 5)"
    assert event.is_significant
    assert (event.actor, event.child_id, event.category) == (
        team_manager,
        child.pk,
        CaseEvent.Category.ASSESSMENT,
    )


def test_approval_is_significant_when_the_level_rose(child, social_worker, template, team_manager):
    previous = ApprovedAssessmentFactory(child=child, template=template)  # Low
    assessment = submitted(
        child,
        social_worker,
        template,
        previous=previous,
        answers={"unexplained-money": PRESENT, "went-missing": PRESENT},
    )

    approve(assessment, team_manager)

    event = CaseEvent.objects.get(verb="assessment_approved")
    assert event.summary == "Risk assessment approved: Medium (score 5)"
    assert event.is_significant


def test_approval_is_not_significant_when_medium_and_not_risen(
    child, social_worker, template, team_manager
):
    previous = ApprovedAssessmentFactory(
        child=child, template=template, answers={"trap-house": PRESENT}
    )
    assessment = submitted(
        child,
        social_worker,
        template,
        previous=previous,
        answers={"unexplained-money": PRESENT, "went-missing": PRESENT},
    )

    approve(assessment, team_manager)

    assert not CaseEvent.objects.get(verb="assessment_approved").is_significant


def test_approval_proposes_the_cre_offer(child, social_worker, template, team_manager):
    high_support = InterventionFactory(levels=[HIGH])
    InterventionFactory(levels=[LOW])
    assessment = submitted(child, social_worker, template, answers={"trap-house": PRESENT})

    approve(assessment, team_manager)

    proposed = OfferItem.objects.filter(assessment=assessment)
    assert high_support.pk in set(proposed.values_list("intervention_id", flat=True))
    assert all(item.status == OfferItem.Status.PROPOSED for item in proposed)


# --- The lowering rule --------------------------------------------------------------------------
def lowered(child, social_worker, template):
    """Computed High (the trap house), lowered to Medium by judgement."""
    return submitted(
        child,
        social_worker,
        template,
        answers={"trap-house": PRESENT},
        override_level=MEDIUM,
        override_reason="The address was a relative's; police have closed the report.",
    )


def test_a_lowered_level_needs_the_approver_to_agree(child, social_worker, template, team_manager):
    assessment = lowered(child, social_worker, template)

    with pytest.raises(ValidationError) as error:
        approve(assessment, team_manager)

    assert error.value.message_dict == {
        "confirm_lowering": ["Confirm that you agree the level should be lowered"]
    }
    assert Assessment.objects.get(pk=assessment.pk).status == Status.SUBMITTED


def test_a_lowered_level_is_approved_when_the_approver_agrees(
    child, social_worker, template, team_manager
):
    assessment = lowered(child, social_worker, template)

    approved = approve(assessment, team_manager, confirm_lowering=True)

    assert (approved.computed_level, approved.level) == (HIGH, MEDIUM)
    assert approved.next_review_on == datetime.date(2026, 4, 28)
    event = CaseEvent.objects.get(verb="assessment_approved")
    assert event.summary == (
        "Risk assessment approved: Medium (score 5); lowered from High by professional judgement"
    )


def test_a_raised_level_needs_no_agreement(child, social_worker, template, team_manager):
    assessment = submitted(
        child, social_worker, template, override_level=HIGH, override_reason="Intelligence"
    )

    approved = approve(assessment, team_manager)

    assert approved.level == HIGH
    summary = CaseEvent.objects.get(verb="assessment_approved").summary
    assert summary.endswith("raised from Low by professional judgement")


# --- Returning ----------------------------------------------------------------------------------
def give_back(assessment, actor, comments="Add the police intelligence from last week."):
    return services.assessment_return(
        assessment=assessment, actor=actor, expected_version=assessment.version, comments=comments
    )


def test_return_with_comments_then_edit_and_resubmit(child, social_worker, template, team_manager):
    # given
    assessment = submitted(child, social_worker, template)

    # when
    returned = give_back(assessment, team_manager)

    # then
    assert returned.status == Status.RETURNED
    assert returned.manager_comments == "Add the police intelligence from last week."
    event = CaseEvent.objects.get(verb="assessment_returned")
    assert event.summary == f"Risk assessment {assessment.assessment_ref} returned with comments"
    assert "police" not in event.summary

    # and the worker changes it and submits it again
    services.assessment_save_views(
        assessment=returned,
        actor=social_worker,
        expected_version=returned.version,
        exploitation_type="CCE",
        child_view="I don't want to talk about it.",
        parent_view="",
    )
    again = submit(Assessment.objects.get(pk=assessment.pk), social_worker)
    assert again.status == Status.SUBMITTED
    assert (
        CaseEvent.objects.filter(verb="assessment_submitted")
        .get()
        .summary.startswith(f"Risk assessment {assessment.assessment_ref} resubmitted")
    )


def test_return_needs_comments(child, social_worker, template, team_manager):
    with pytest.raises(ValidationError) as error:
        give_back(submitted(child, social_worker, template), team_manager, comments="  ")

    assert error.value.message_dict == {"comments": ["Enter what needs to change"]}


def test_only_an_approver_returns(child, social_worker, template):
    with pytest.raises(PermissionDenied):
        give_back(submitted(child, social_worker, template), social_worker)


def test_an_approved_assessment_cannot_be_returned(child, template, team_manager):
    with pytest.raises(ValidationError, match="Only an assessment that has been submitted"):
        give_back(ApprovedAssessmentFactory(child=child, template=template), team_manager)
