"""Starting an assessment and answering it: origins, derived score and level, stale edits."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cre_portal.accounts.roles import Role
from cre_portal.audit.models import CaseEvent
from cre_portal.concurrency import StaleEdit
from referrals.codes import ExploitationType, RiskLevel
from risk_assessment.models import Assessment, AssessmentTemplate
from risk_assessment.scoring import NOT_KNOWN, NOT_PRESENT, PRESENT
from risk_assessment.services import assessments as services
from risk_assessment.services.assessments import AnswerInput
from tests.accounts.factories import UserFactory
from tests.referrals.factories import ChildFactory
from tests.referrals.factories_missing import PositiveReturnInterviewFactory, ReturnedEpisodeFactory
from tests.referrals.factories_referrals import ClosedReferralFactory, ReferralFactory
from tests.risk_assessment.factories_assessments import (
    ApprovedAssessmentFactory,
    AssessmentFactory,
    SubmittedAssessmentFactory,
    small_template,
)

pytestmark = pytest.mark.django_db

Origin = Assessment.Origin
HIGH, MEDIUM, LOW = RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW


@pytest.fixture
def template():
    return small_template()


@pytest.fixture
def child(social_worker):
    return ChildFactory(team=social_worker.team, allocated_worker=social_worker)


@pytest.fixture
def draft(template, child, social_worker):
    return AssessmentFactory(child=child, template=template, created_by=social_worker)


def ids(assessment):
    return {row.indicator.code: row.indicator_id for row in assessment.answers.all()}


def answer(assessment, actor, version=None, **answers):
    """Save answers by code: answer(a, user, went_missing=PRESENT)."""
    by_code = ids(assessment)
    given = {
        by_code[code.replace("_", "-")]: AnswerInput(value, "Told by the school", "School")
        for code, value in answers.items()
    }
    return services.assessment_save_answers(
        assessment=assessment,
        actor=actor,
        expected_version=assessment.version if version is None else version,
        answers=given,
    )


# --- Starting -----------------------------------------------------------------------------------
def test_start_from_a_referral(template, child, social_worker):
    # given
    referral = ReferralFactory(child=child, exploitation_type=ExploitationType.CSE)

    # when
    assessment = services.assessment_start(
        child=child, actor=social_worker, origin=Origin.REFERRAL, referral=referral
    )

    # then
    assert re.fullmatch(rf"RA-{timezone.localdate():%Y%m%d}-0001", assessment.assessment_ref)
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.template == template
    assert assessment.referral == referral
    assert assessment.exploitation_type == ExploitationType.CSE
    assert assessment.created_by == social_worker
    assert (assessment.score, assessment.computed_level, assessment.level) == (0, LOW, LOW)
    assert assessment.answers.count() == 5
    assert set(assessment.answers.values_list("answer", flat=True)) == {""}
    event = CaseEvent.objects.get(verb="assessment_started")
    assert (event.child_id, event.category, event.actor) == (
        child.pk,
        CaseEvent.Category.ASSESSMENT,
        social_worker,
    )
    assert event.summary == f"Risk assessment {assessment.assessment_ref} started from a referral"


def test_start_from_a_return_home_interview(template, child, social_worker):
    interview = PositiveReturnInterviewFactory(episode=ReturnedEpisodeFactory(child=child))

    assessment = services.assessment_start(
        child=child, actor=social_worker, origin=Origin.RHI, missing_episode=interview.episode
    )

    assert assessment.missing_episode == interview.episode
    assert assessment.origin == Origin.RHI


def test_a_review_starts_from_the_latest_approved_assessment(template, child, social_worker):
    # given
    ApprovedAssessmentFactory(child=child, completed_on=timezone.localdate().replace(year=2025))
    latest = ApprovedAssessmentFactory(child=child, exploitation_type=ExploitationType.BOTH)

    # when
    review = services.assessment_start(child=child, actor=social_worker, origin=Origin.REVIEW)

    # then
    assert review.previous == latest
    assert review.exploitation_type == ExploitationType.BOTH


def test_previous_is_set_whatever_the_origin(template, child, social_worker):
    approved = ApprovedAssessmentFactory(child=child)

    assessment = services.assessment_start(
        child=child,
        actor=social_worker,
        origin=Origin.REFERRAL,
        referral=ReferralFactory(child=child),
    )

    assert assessment.previous == approved


@pytest.mark.parametrize(
    "origin_of",
    [
        # another child's referral
        lambda child: {"origin": Origin.REFERRAL, "referral": ReferralFactory()},
        # a closed referral
        lambda child: {"origin": Origin.REFERRAL, "referral": ClosedReferralFactory(child=child)},
        # an episode with no interview yet
        lambda child: {
            "origin": Origin.RHI,
            "missing_episode": ReturnedEpisodeFactory(child=child),
        },
        # a review with nothing approved to review
        lambda child: {"origin": Origin.REVIEW},
        # a referral origin without a referral
        lambda child: {"origin": Origin.REFERRAL},
    ],
)
def test_start_refuses_an_origin_the_child_does_not_have(template, child, social_worker, origin_of):
    with pytest.raises(ValidationError) as error:
        services.assessment_start(child=child, actor=social_worker, **origin_of(child))

    assert error.value.message_dict == {"start_from": ["Select what this assessment starts from"]}


def test_only_one_assessment_in_progress_per_child(template, child, social_worker):
    open_one = SubmittedAssessmentFactory(child=child)

    with pytest.raises(ValidationError, match=f"{open_one.assessment_ref} is already in progress"):
        services.assessment_start(
            child=child,
            actor=social_worker,
            origin=Origin.REFERRAL,
            referral=ReferralFactory(child=child),
        )


def test_start_needs_a_published_template(child, social_worker):
    AssessmentTemplate.objects.update(published_at=None)

    with pytest.raises(ValidationError, match="No assessment template has been published"):
        services.assessment_start(
            child=child,
            actor=social_worker,
            origin=Origin.REFERRAL,
            referral=ReferralFactory(child=child),
        )


@pytest.mark.parametrize("role", [Role.MISSING_OFFICER, Role.ANALYST, Role.ADMINISTRATOR])
def test_start_needs_the_capability(template, child, role):
    with pytest.raises(PermissionDenied):
        services.assessment_start(
            child=child,
            actor=UserFactory(team=child.team, roles=[role]),
            origin=Origin.REFERRAL,
            referral=ReferralFactory(child=child),
        )


def test_start_needs_the_child_in_scope(template, other_team):
    stranger = UserFactory(team=other_team, roles=[Role.SOCIAL_WORKER])
    child = ChildFactory()

    with pytest.raises(PermissionDenied):
        services.assessment_start(
            child=child,
            actor=stranger,
            origin=Origin.REFERRAL,
            referral=ReferralFactory(child=child),
        )


# --- Answering: the score and level are derived -------------------------------------------------
def test_saving_answers_derives_score_and_level(draft, social_worker):
    # when: 3 + 2 present
    saved = answer(
        draft,
        social_worker,
        went_missing=PRESENT,
        unexplained_money=PRESENT,
        older_associates=NOT_PRESENT,
    )

    # then
    assert (saved.score, saved.computed_level, saved.level) == (5, MEDIUM, MEDIUM)
    assert saved.version == 2
    row = saved.answers.get(indicator__code="went-missing")
    assert (row.answer, row.evidence, row.source) == (PRESENT, "Told by the school", "School")


def test_saving_a_section_leaves_the_other_sections_alone(draft, social_worker):
    answer(draft, social_worker, went_missing=PRESENT)
    draft.refresh_from_db()

    answer(draft, social_worker, online_grooming=NOT_KNOWN)

    answers = dict(draft.answers.values_list("indicator__code", "answer"))
    assert answers["went-missing"] == PRESENT
    assert answers["online-grooming"] == NOT_KNOWN
    assert answers["older-associates"] == ""


def test_a_significant_indicator_makes_the_level_high(draft, social_worker):
    saved = answer(draft, social_worker, trap_house=PRESENT)

    assert (saved.score, saved.level) == (5, HIGH)


def test_an_unknown_answer_is_refused(draft, social_worker):
    with pytest.raises(ValidationError):
        answer(draft, social_worker, went_missing="MAYBE")


def test_answers_to_indicators_not_in_the_assessment_are_refused(draft, social_worker):
    other = AssessmentFactory()
    foreign = next(iter(ids(other).values()))

    with pytest.raises(ValidationError, match="Reload the page"):
        services.assessment_save_answers(
            assessment=draft,
            actor=social_worker,
            expected_version=draft.version,
            answers={foreign: AnswerInput(PRESENT)},
        )


def test_a_stale_save_is_refused_and_names_what_changed(draft, social_worker, team_manager):
    # given: both opened version 1; the manager saved the Missing section and the views first
    answer(draft, team_manager, version=1, went_missing=PRESENT)
    draft.refresh_from_db()
    services.assessment_save_views(
        assessment=draft,
        actor=team_manager,
        expected_version=draft.version,
        exploitation_type=ExploitationType.CCE,
        child_view="I am fine.",
        parent_view="",
    )

    # when: the worker saves from the page they loaded at version 1
    with pytest.raises(StaleEdit) as stale:
        answer(draft, social_worker, version=1, online_grooming=PRESENT)

    # then: the message names the section and the field; nothing of theirs was saved
    assert stale.value.changed_fields == [
        "exploitation type",
        "the child's view",
        "answers in Missing and running away",
    ]
    assert "answers in Missing and running away" in stale.value.message
    assert draft.answers.get(indicator__code="online-grooming").answer == ""


def test_submitted_assessments_cannot_be_edited(template, social_worker, child):
    submitted = SubmittedAssessmentFactory(child=child, template=template)

    with pytest.raises(ValidationError, match="cannot be changed now"):
        answer(submitted, social_worker, went_missing=PRESENT)


def test_a_colleague_who_sees_the_child_may_edit(draft, team_manager):
    saved = answer(draft, team_manager, went_missing=PRESENT)

    assert saved.score == 3


@pytest.mark.parametrize("role", [Role.MISSING_OFFICER, Role.DIRECTOR])
def test_editing_needs_the_capability(draft, role):
    with pytest.raises(PermissionDenied):
        answer(draft, UserFactory(team=draft.child.team, roles=[role]), went_missing=PRESENT)


# --- Views and judgement ------------------------------------------------------------------------
def test_save_views(draft, social_worker):
    saved = services.assessment_save_views(
        assessment=draft,
        actor=social_worker,
        expected_version=draft.version,
        exploitation_type=ExploitationType.BOTH,
        child_view="  I want to stay at school. ",
        parent_view="Worried about the new friends.",
    )

    assert (saved.exploitation_type, saved.child_view) == (
        ExploitationType.BOTH,
        "I want to stay at school.",
    )


def test_save_views_refuses_an_unknown_type(draft, social_worker):
    with pytest.raises(ValidationError):
        services.assessment_save_views(
            assessment=draft,
            actor=social_worker,
            expected_version=draft.version,
            exploitation_type="XYZ",
            child_view="",
            parent_view="",
        )


def judge(assessment, actor, level, reason=""):
    return services.assessment_save_judgement(
        assessment=assessment,
        actor=actor,
        expected_version=assessment.version,
        override_level=level,
        override_reason=reason,
    )


def test_judgement_overrides_the_level_with_a_reason(draft, social_worker):
    saved = judge(draft, social_worker, HIGH, "Police intelligence links him to a county line.")

    assert (saved.computed_level, saved.override_level, saved.level) == (LOW, HIGH, HIGH)


def test_judgement_needs_a_reason(draft, social_worker):
    with pytest.raises(ValidationError) as error:
        judge(draft, social_worker, HIGH, "   ")

    assert error.value.message_dict == {
        "override_reason": ["Enter why the level should be different from the computed level"]
    }


def test_choosing_the_computed_level_is_no_override(draft, social_worker):
    judged = judge(draft, social_worker, HIGH, "Reason")
    judged.refresh_from_db()

    saved = judge(judged, social_worker, LOW, "Ignored")

    assert (saved.override_level, saved.override_reason, saved.level) == ("", "", LOW)


def test_the_level_follows_the_override_when_answers_change(draft, social_worker):
    judged = judge(draft, social_worker, MEDIUM, "Concerns from the family")

    saved = answer(judged, social_worker, trap_house=PRESENT)

    assert (saved.computed_level, saved.override_level, saved.level) == (HIGH, MEDIUM, MEDIUM)


@pytest.mark.parametrize(
    ("given", "field"),
    [
        (AnswerInput(PRESENT, evidence="x" * 5001), "evidence"),
        (AnswerInput(PRESENT, source="x" * 151), "source"),
    ],
)
def test_overlong_evidence_or_source_is_refused(draft, social_worker, given, field):
    indicator_id = ids(draft)["went-missing"]

    with pytest.raises(ValidationError) as error:
        services.assessment_save_answers(
            assessment=draft,
            actor=social_worker,
            expected_version=draft.version,
            answers={indicator_id: given},
        )

    assert list(error.value.message_dict) == [f"{field}_{indicator_id}"]


def test_judgement_refuses_an_unknown_level(draft, social_worker):
    with pytest.raises(ValidationError) as error:
        judge(draft, social_worker, "EXTREME", "Reason")

    assert "override_level" in error.value.message_dict


def test_references_count_up_and_skip_one_taken_meanwhile(
    template, child, social_worker, monkeypatch
):
    # given: today's first reference is taken by someone else between choosing and inserting
    today = f"RA-{timezone.localdate():%Y%m%d}"
    AssessmentFactory(
        assessment_ref=f"{today}-0001",
        status=Assessment.Status.APPROVED,
        completed_on=timezone.localdate(),
        level=LOW,
    )
    refs = iter([f"{today}-0001", f"{today}-0002"])
    monkeypatch.setattr(services, "_next_ref", lambda: next(refs))

    # when
    assessment = services.assessment_start(
        child=child,
        actor=social_worker,
        origin=Origin.REFERRAL,
        referral=ReferralFactory(child=child),
    )

    # then
    assert assessment.assessment_ref == f"{today}-0002"


def test_the_next_reference_follows_todays_last(template):
    today = f"RA-{timezone.localdate():%Y%m%d}"
    AssessmentFactory(assessment_ref=f"{today}-0001")
    AssessmentFactory(assessment_ref=f"{today}-0003")

    # Two taken today, and -0003 too: the count gives -0003, which is taken, so -0004.
    assert services._next_ref() == f"{today}-0004"
