"""Who may see, complete and approve risk assessments, and keep the templates. The only home of
these rules.

An assessment is visible exactly when its child is (`visible_children`). The capabilities come
from risk_assessment/migrations/0002: `complete_assessment` (social workers and the three
managers), `approve_assessment` (the managers), `publish_template` (administrators).
"""

from typing import Any

from django.db.models import QuerySet, UUIDField
from django.db.models.functions import Cast

from cre_portal.accounts.models import User
from cre_portal.audit.models import CaseEvent
from referrals.models import Child
from referrals.permissions.children import visible_children
from risk_assessment.models import Assessment, AssessmentQuerySet, AssessmentTemplate

COMPLETE = "risk_assessment.complete_assessment"
APPROVE = "risk_assessment.approve_assessment"
PUBLISH = "risk_assessment.publish_template"
ASSESSMENT_TYPE = "risk_assessment.assessment"
SUBMITTED_VERB = "assessment_submitted"


def visible_assessments(user: User) -> AssessmentQuerySet:
    """The assessments the user may open: those about a child they may see."""
    children = visible_children(user).values("pk")
    return Assessment.objects.filter(child__in=children)


def _sees(user: User, child: Child) -> bool:
    return visible_children(user).filter(pk=child.pk).exists()


def can_complete_assessment(user: User, child: Child) -> bool:
    """Start, answer and submit assessments for a child the user can see."""
    if not user.has_perm(COMPLETE):
        return False
    return _sees(user, child)


def _submissions(user: User) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(
        object_type=ASSESSMENT_TYPE, verb=SUBMITTED_VERB, actor_id=user.pk
    )


def submitted_by(user: User) -> QuerySet[Any, Any]:
    """The ids of the assessments the user has ever submitted, from the chronology."""
    ids = Cast("object_id", output_field=UUIDField())
    return _submissions(user).annotate(assessment_id=ids).values("assessment_id")


def can_approve_assessment(user: User, assessment: Assessment) -> bool:
    """A manager who can see the child approves or returns it, never its author or submitter."""
    if not user.has_perm(APPROVE):
        return False
    if assessment.created_by_id == user.pk:
        return False
    if _submissions(user).filter(object_id=str(assessment.pk)).exists():
        return False
    return _sees(user, assessment.child)


# --- Templates --------------------------------------------------------------------------------
def can_view_templates(user: User) -> bool:
    """Those who complete, approve or publish assessments may read every template version."""
    if not user.is_authenticated or not user.is_active:
        return False
    return any(user.has_perm(perm) for perm in (COMPLETE, APPROVE, PUBLISH))


def visible_templates(user: User) -> QuerySet[AssessmentTemplate]:
    """Every version for those who may read templates; nothing for anyone else."""
    if not can_view_templates(user):
        return AssessmentTemplate.objects.none()
    return AssessmentTemplate.objects.all()


def can_manage_templates(user: User) -> bool:
    """Administrators draft, edit and publish new versions of the template."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(PUBLISH)
