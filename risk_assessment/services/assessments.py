"""The CRE risk assessment: start, answer section by section, submit, approve or return.

    draft -> submitted -> approved
      ^          |
      +- returned (with the manager's comments; edited and submitted again)

The score and the computed level are derived here on every save, never typed. Professional
judgement may set another level with a written reason; a lowering is approved only when the
approving manager ticks that they agree. The approver holds `approve_assessment` and is neither
the author nor anyone who submitted it. Approval dates the assessment, sets the review date by
level, records the level on the child and proposes the CRE Offer, all in one transaction.

Every save locks the assessment and refuses a form loaded before someone else saved it
(StaleEdit, naming what they changed), so nobody overwrites a colleague's answers unawares.
"""

import dataclasses
from collections.abc import Mapping
from typing import Any

import pghistory
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.audit.models import CaseEvent
from cre_portal.audit.services import case_event_record
from cre_portal.concurrency import StaleEdit, changed_since, save_versioned
from cre_portal.timescales import local_date, risk_review_due
from referrals.codes import ExploitationType, RiskLevel
from referrals.models import (
    Child,
    MissingEpisode,
    MissingEpisodeQuerySet,
    Referral,
    ReferralQuerySet,
)
from risk_assessment.models import (
    Assessment,
    AssessmentTemplate,
    Domain,
    IndicatorAnswer,
    TemplateIndicator,
)
from risk_assessment.permissions.assessments import (
    SUBMITTED_VERB,
    can_approve_assessment,
    can_complete_assessment,
)
from risk_assessment.scoring import PRESENT, is_lowering, rank, score_answers
from risk_assessment.services.offer import offer_propose

Status = Assessment.Status
Origin = Assessment.Origin
EDITABLE = (Status.DRAFT, Status.RETURNED)
IN_PROGRESS = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)
REF_PREFIX = "RA-"
REF_ATTEMPTS = 5
TEXT_LIMIT = 5000
SOURCE_LIMIT = 150
# Labels of fields the service derives: a colleague's answers show as "answers in <section>".
DERIVED = frozenset({"score", "computed level", "level"})

NOT_EDITABLE = "This assessment has been submitted, so it cannot be changed now"
NOT_SUBMITTED = "Only an assessment that has been submitted can be approved or returned"
ORIGIN_WORDS: dict[str, str] = {
    Origin.REFERRAL: "a referral",
    Origin.RHI: "a return home interview",
    Origin.REVIEW: "a review",
}


@dataclasses.dataclass(frozen=True)
class AnswerInput:
    """One indicator's answer as typed: present / not present / not known, evidence, source."""

    answer: str
    evidence: str = ""
    source: str = ""


# --- Reading ----------------------------------------------------------------------------------
def answers_of(assessment: Assessment) -> list[IndicatorAnswer]:
    """The assessment's answers with their indicators, in the template's order."""
    answers = assessment.answers.select_related("indicator")
    return list(answers.order_by("indicator__position", "indicator_id"))


def _template_with_indicators(template_id: int) -> AssessmentTemplate:
    return AssessmentTemplate.objects.prefetch_related("indicators").get(pk=template_id)


def _recompute(assessment: Assessment) -> None:
    """Derive the score, the computed level and the level that counts from the stored answers."""
    answers = dict(assessment.answers.values_list("indicator_id", "answer"))
    template = _template_with_indicators(assessment.template_id)  # type: ignore[arg-type]
    assessment.score, assessment.computed_level = score_answers(template, answers)
    assessment.level = assessment.override_level or assessment.computed_level


def _changes_since(assessment: Assessment, version: int) -> list[str]:
    """What others saved after `version`: the assessment's own fields and the answered sections."""
    labels = [label for label in changed_since(assessment, version) if label not in DERIVED]
    # Answers saved with a later version share its pghistory context (see save_answers).
    later = apps.get_model("risk_assessment", "AssessmentEvent").objects.filter(
        pgh_obj_id=assessment.pk, version__gt=version, pgh_context_id__isnull=False
    )
    answer_events = apps.get_model("risk_assessment", "IndicatorAnswerEvent").objects.filter(
        assessment_id=assessment.pk, pgh_context_id__in=later.values("pgh_context_id")
    )
    domains = set(answer_events.values_list("indicator__domain", flat=True))
    labels += [f"answers in {d.label}" for d in Domain if d in domains]
    return labels


def _locked(assessment: Assessment, *, version: int) -> Assessment:
    """The assessment as it is now, locked; refused if someone saved it after `version`."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    # The version is checked first, so someone who lost a race hears why, not just "not open".
    if current.version != version:
        raise StaleEdit(_changes_since(current, version))
    return current


def _locked_for_editing(assessment: Assessment, *, actor: User, version: int) -> Assessment:
    if not can_complete_assessment(actor, assessment.child):
        raise PermissionDenied
    current = _locked(assessment, version=version)
    if current.status not in EDITABLE:
        raise ValidationError(NOT_EDITABLE)
    return current


def _record(assessment: Assessment, *, verb: str, summary: str, actor: User, **kwargs: Any) -> None:
    case_event_record(
        child_id=assessment.child_id,
        category=CaseEvent.Category.ASSESSMENT,
        verb=verb,
        summary=summary,
        obj=assessment,
        actor=actor,
        **kwargs,
    )


# --- Starting ---------------------------------------------------------------------------------
def _next_ref() -> str:
    """The next RA-<date>-<number> for today, like referral references."""
    prefix = f"{REF_PREFIX}{local_date(timezone.now()):%Y%m%d}-"
    number = Assessment.objects.filter(assessment_ref__startswith=prefix).count() + 1
    while Assessment.objects.filter(assessment_ref=f"{prefix}{number:04d}").exists():
        number += 1
    return f"{prefix}{number:04d}"


def _insert(assessment: Assessment) -> None:
    """Insert, taking the next free reference if another user took this one meanwhile."""
    for _attempt in range(REF_ATTEMPTS):
        assessment.assessment_ref = _next_ref()
        try:
            with transaction.atomic():
                assessment.save(force_insert=True)
            return
        except IntegrityError:
            if not Assessment.objects.filter(assessment_ref=assessment.assessment_ref).exists():
                raise
    raise IntegrityError("No free assessment reference")


def latest_approved(child: Child) -> Assessment | None:
    """The child's most recent approved assessment: the `previous` of the next one."""
    return child.assessments.approved().order_by("-completed_on", "-decided_at").first()


def assessment_in_progress(child: Child) -> Assessment | None:
    """The child's draft, submitted or returned assessment, if there is one."""
    return child.assessments.filter(status__in=IN_PROGRESS).first()


def start_referrals(child: Child) -> ReferralQuerySet:
    """The child's open referrals, which an assessment can start from."""
    return Referral.objects.filter(child=child).open().order_by("-received_on")


def start_interviews(child: Child) -> MissingEpisodeQuerySet:
    """The child's missing episodes with a completed return interview."""
    episodes = MissingEpisode.objects.filter(child=child)
    completed = episodes.filter(return_interview__completed_at__isnull=False)
    return completed.select_related("return_interview").order_by("-started_at")


def _check_origin(
    child: Child, origin: str, referral: Referral | None, episode: MissingEpisode | None
) -> None:
    """The origin must be one the start page offers for this child."""
    offered: dict[str, bool] = {
        Origin.REFERRAL: referral is not None
        and start_referrals(child).filter(pk=referral.pk).exists(),
        Origin.RHI: episode is not None and start_interviews(child).filter(pk=episode.pk).exists(),
        Origin.REVIEW: referral is None and episode is None and latest_approved(child) is not None,
    }
    if not offered.get(origin, False):
        raise ValidationError({"start_from": "Select what this assessment starts from"})


def _first_exploitation_type(referral: Referral | None, previous: Assessment | None) -> str:
    if referral is not None:
        return referral.exploitation_type
    return previous.exploitation_type if previous is not None else ""


@transaction.atomic
def assessment_start(
    *,
    child: Child,
    actor: User,
    origin: str,
    referral: Referral | None = None,
    missing_episode: MissingEpisode | None = None,
) -> Assessment:
    """Start a draft assessment of the child on the current template, from its origin."""
    if not can_complete_assessment(actor, child):
        raise PermissionDenied
    # Locking the child makes two workers' starts queue, so the child gets one assessment.
    child = Child.objects.select_for_update().get(pk=child.pk)
    if (open_one := assessment_in_progress(child)) is not None:
        raise ValidationError(
            f"{open_one.assessment_ref} is already in progress for this child. "
            "Finish it before starting another"
        )
    _check_origin(child, origin, referral, missing_episode)
    template = AssessmentTemplate.objects.current()
    if template is None:
        raise ValidationError("No assessment template has been published yet")
    previous = latest_approved(child)
    assessment = Assessment(
        child=child,
        template=template,
        origin=origin,
        referral=referral,
        missing_episode=missing_episode,
        previous=previous,
        exploitation_type=_first_exploitation_type(referral, previous),
        created_by=actor,
    )
    _insert(assessment)
    IndicatorAnswer.objects.bulk_create(
        IndicatorAnswer(assessment=assessment, indicator=indicator)
        for indicator in template.indicators.all()
    )
    _recompute(assessment)
    assessment.save(update_fields=["score", "computed_level", "level"])
    summary = f"Risk assessment {assessment.assessment_ref} started from {ORIGIN_WORDS[origin]}"
    _record(assessment, verb="assessment_started", summary=summary, actor=actor)
    return assessment


# --- Answering --------------------------------------------------------------------------------
def _check_answer(indicator: TemplateIndicator, given: AnswerInput) -> None:
    field = f"answer_{indicator.pk}"
    if given.answer and given.answer not in IndicatorAnswer.Answer.values:
        raise ValidationError({field: "Select present, not present or not known"})
    if len(given.evidence) > TEXT_LIMIT:
        message = "Evidence must be 5,000 characters or fewer"
        raise ValidationError({f"evidence_{indicator.pk}": message})
    if len(given.source) > SOURCE_LIMIT:
        raise ValidationError({f"source_{indicator.pk}": "Source must be 150 characters or fewer"})


@transaction.atomic
def assessment_save_answers(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    answers: Mapping[int, AnswerInput],
) -> Assessment:
    """Save some indicators' answers (one section); unanswered ones may be finished later."""
    # One pghistory context for the answers and the version they make, so a colleague's stale
    # save can be told which sections changed (inside a request this is the request's context).
    with pghistory.context(service="assessment_save_answers"):
        assessment = _locked_for_editing(assessment, actor=actor, version=expected_version)
        _apply_answers(assessment, answers)
        _recompute(assessment)
        save_versioned(
            assessment,
            expected_version=expected_version,
            fields=["score", "computed_level", "level"],
        )
    return assessment


def _apply_answers(assessment: Assessment, answers: Mapping[int, AnswerInput]) -> None:
    rows = {row.indicator_id: row for row in assessment.answers.select_related("indicator")}
    if not set(answers) <= rows.keys():
        raise ValidationError("Reload the page and try again")
    for indicator_id, given in answers.items():
        row = rows[indicator_id]
        _check_answer(row.indicator, given)
        row.answer = given.answer
        row.evidence = given.evidence.strip()
        row.source = given.source.strip()
    changed = [rows[indicator_id] for indicator_id in answers]
    IndicatorAnswer.objects.bulk_update(changed, ["answer", "evidence", "source"])


@transaction.atomic
def assessment_save_views(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    exploitation_type: str,
    child_view: str,
    parent_view: str,
) -> Assessment:
    """Save the type of exploitation, the child's own view and the parent or carer's view."""
    assessment = _locked_for_editing(assessment, actor=actor, version=expected_version)
    if exploitation_type and exploitation_type not in ExploitationType.values:
        raise ValidationError({"exploitation_type": "Select the type of exploitation"})
    assessment.exploitation_type = exploitation_type
    assessment.child_view = child_view.strip()
    assessment.parent_view = parent_view.strip()
    fields = ["exploitation_type", "child_view", "parent_view"]
    save_versioned(assessment, expected_version=expected_version, fields=fields)
    return assessment


@transaction.atomic
def assessment_save_judgement(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    override_level: str,
    override_reason: str,
) -> Assessment:
    """Set (or clear) a level by professional judgement; a different level needs a reason."""
    assessment = _locked_for_editing(assessment, actor=actor, version=expected_version)
    if override_level and override_level not in RiskLevel.values:
        raise ValidationError({"override_level": "Select the level you judge to be right"})
    reason = override_reason.strip()
    # Choosing the computed level is no override: nothing to explain or to approve.
    if not override_level or override_level == assessment.computed_level:
        override_level, reason = "", ""
    elif not reason:
        raise ValidationError(
            {"override_reason": "Enter why the level should be different from the computed level"}
        )
    assessment.override_level = override_level
    assessment.override_reason = reason
    assessment.level = override_level or assessment.computed_level
    fields = ["override_level", "override_reason", "level"]
    save_versioned(assessment, expected_version=expected_version, fields=fields)
    return assessment


# --- Submitting -------------------------------------------------------------------------------
def submit_problems(assessment: Assessment) -> list[str]:
    """What still stops the assessment being submitted, one sentence each, in page order."""
    problems = []
    answers = list(assessment.answers.select_related("indicator"))
    for domain in Domain:
        in_domain = [row for row in answers if row.indicator.domain == domain]
        unanswered = sum(1 for row in in_domain if not row.answer)
        if unanswered:
            problems.append(f"Answer every indicator in {domain.label} ({unanswered} not answered)")
        if any(row.answer == PRESENT and not row.evidence for row in in_domain):
            problems.append(f"Enter the evidence for each indicator present in {domain.label}")
    if not assessment.exploitation_type:
        problems.append("Select the type of exploitation")
    if not assessment.child_view:
        problems.append("Enter the child's view, or why it could not be obtained")
    return problems


@transaction.atomic
def assessment_submit(*, assessment: Assessment, actor: User, expected_version: int) -> Assessment:
    """Send a complete assessment to a manager for approval."""
    assessment = _locked_for_editing(assessment, actor=actor, version=expected_version)
    if problems := submit_problems(assessment):
        raise ValidationError(problems)
    resubmitted = assessment.status == Status.RETURNED
    _recompute(assessment)
    assessment.status = Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    fields = ["status", "submitted_at", "score", "computed_level", "level"]
    save_versioned(assessment, expected_version=expected_version, fields=fields)
    level = RiskLevel(assessment.level).label
    summary = (
        f"Risk assessment {assessment.assessment_ref} {'re' if resubmitted else ''}submitted "
        f"for approval: {level} (score {assessment.score})"
    )
    _record(assessment, verb=SUBMITTED_VERB, summary=summary, actor=actor)
    return assessment


# --- Deciding ---------------------------------------------------------------------------------
def _locked_for_decision(assessment: Assessment, *, actor: User, version: int) -> Assessment:
    if not can_approve_assessment(actor, assessment):
        raise PermissionDenied
    current = _locked(assessment, version=version)
    if current.status != Status.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED)
    return current


def _record_on_child(assessment: Assessment) -> None:
    """The child carries its latest approved level and review date, for lists and dashboards."""
    child = Child.objects.select_for_update().get(pk=assessment.child_id)
    child.risk_level = assessment.level
    child.risk_assessed_on = assessment.completed_on
    child.next_review_on = assessment.next_review_on
    # The version moves so an edit form of the child loaded before this goes stale.
    child.version += 1
    fields = ["risk_level", "risk_assessed_on", "next_review_on", "version", "updated_at"]
    child.save(update_fields=fields)


def _approval_summary(assessment: Assessment) -> str:
    level = RiskLevel(assessment.level).label
    summary = f"Risk assessment approved: {level} (score {assessment.score})"
    if assessment.override_level:
        moved = (
            "lowered"
            if is_lowering(
                computed_level=assessment.computed_level, override_level=assessment.override_level
            )
            else "raised"
        )
        computed = RiskLevel(assessment.computed_level).label
        summary += f"; {moved} from {computed} by professional judgement"
    return summary


def _level_rose(assessment: Assessment) -> bool:
    previous = assessment.previous
    return previous is not None and rank(assessment.level) > rank(previous.level)


@transaction.atomic
def assessment_approve(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    confirm_lowering: bool = False,
) -> Assessment:
    """Approve: date it, set the review date by level, record the level on the child, propose
    the CRE Offer. A level lowered by judgement needs the approver's explicit agreement."""
    assessment = _locked_for_decision(assessment, actor=actor, version=expected_version)
    lowered = is_lowering(
        computed_level=assessment.computed_level, override_level=assessment.override_level
    )
    if lowered and not confirm_lowering:
        raise ValidationError(
            {"confirm_lowering": "Confirm that you agree the level should be lowered"}
        )
    today = timezone.localdate()
    assessment.status = Status.APPROVED
    assessment.decided_at = timezone.now()
    assessment.decided_by = actor
    assessment.completed_on = today
    assessment.next_review_on = risk_review_due(assessment.level, today)
    fields = ["status", "decided_at", "decided_by", "completed_on", "next_review_on"]
    save_versioned(assessment, expected_version=expected_version, fields=fields)
    _record_on_child(assessment)
    high = assessment.level == RiskLevel.HIGH
    _record(
        assessment,
        verb="assessment_approved",
        summary=_approval_summary(assessment),
        actor=actor,
        is_significant=high or _level_rose(assessment),
    )
    offer_propose(assessment=assessment, actor=actor)
    return assessment


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, actor: User, expected_version: int, comments: str
) -> Assessment:
    """Send the assessment back to be changed, with the manager's comments."""
    assessment = _locked_for_decision(assessment, actor=actor, version=expected_version)
    comments = comments.strip()
    if not comments:
        raise ValidationError({"comments": "Enter what needs to change"})
    assessment.status = Status.RETURNED
    assessment.manager_comments = comments
    assessment.decided_at = timezone.now()
    assessment.decided_by = actor
    fields = ["status", "manager_comments", "decided_at", "decided_by"]
    save_versioned(assessment, expected_version=expected_version, fields=fields)
    summary = f"Risk assessment {assessment.assessment_ref} returned with comments"
    _record(assessment, verb="assessment_returned", summary=summary, actor=actor)
    return assessment
