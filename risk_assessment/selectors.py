"""Reads for the home dashboard that span children and their assessments, scoped to the user.

Each returns a queryset the caller may slice and count; the home page (cre_portal/dashboard.py)
shows them. Reviews are read from the child's denormalised `next_review_on`, which the approval
service sets in the same transaction as the approved assessment.
"""

import datetime

from cre_portal.accounts.models import User
from referrals.models import ChildQuerySet
from referrals.permissions.children import visible_children
from risk_assessment.models import Assessment, AssessmentQuerySet
from risk_assessment.permissions.assessments import APPROVE, submitted_by, visible_assessments

Status = Assessment.Status


def assessments_awaiting_approval(user: User) -> AssessmentQuerySet:
    """Submitted assessments this manager may decide: not their own, oldest submission first."""
    if not user.has_perm(APPROVE):
        return Assessment.objects.none()
    waiting = visible_assessments(user).filter(status=Status.SUBMITTED)
    waiting = waiting.exclude(created_by=user).exclude(pk__in=submitted_by(user))
    return waiting.with_related().order_by("submitted_at", "assessment_ref")


def my_draft_assessments(user: User) -> AssessmentQuerySet:
    """Assessments the user started that are still being written, returned ones first."""
    mine = visible_assessments(user).filter(
        created_by=user, status__in=[Status.DRAFT, Status.RETURNED]
    )
    # "RETURNED" sorts after "DRAFT": descending puts the ones waiting on the worker first.
    return mine.with_related().order_by("-status", "-updated_at")


def overdue_reviews(user: User, today: datetime.date) -> ChildQuerySet:
    """Children the user can see whose risk assessment review date has passed, oldest first."""
    children = visible_children(user).filter(next_review_on__lt=today)
    return children.with_related().order_by("next_review_on", "child_ref")


def my_due_reviews(user: User, today: datetime.date, within_days: int = 14) -> ChildQuerySet:
    """The user's own children whose review is due within `within_days` (or already overdue)."""
    until = today + datetime.timedelta(days=within_days)
    children = visible_children(user).filter(allocated_worker=user, next_review_on__lte=until)
    return children.with_related().order_by("next_review_on", "child_ref")
