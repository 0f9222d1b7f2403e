"""What the home page shows each user: their own work, gathered from every app.

Each panel is a handful of COUNT queries over the user's scoped querysets, so the home page
costs the same whatever the size of the caseload.
"""

import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from cre_portal.accounts.models import User
from referrals.models import NrmReferral, Referral
from referrals.permissions.children import visible_children
from referrals.permissions.missing import visible_missing_episodes
from referrals.permissions.nrm import visible_nrm_referrals
from referrals.permissions.referrals import visible_referrals
from risk_assessment.selectors import (
    assessments_awaiting_approval,
    my_draft_assessments,
    my_due_reviews,
    overdue_reviews,
)
from risk_assessment.selectors_meetings import meetings_without_childs_views, my_open_actions

HOME_LIST_SIZE = 10
DUE_SOON = datetime.timedelta(hours=24)


def caseload(user: User) -> dict[str, Any]:
    """The children allocated to the user, and how many their team holds."""
    children = visible_children(user)
    mine = children.filter(allocated_worker=user)
    team = children.filter(team_id=user.team_id) if user.team_id else children.none()
    return {
        "my_children": list(mine.order_by("-updated_at")[:HOME_LIST_SIZE]),
        "my_children_count": mine.count(),
        "team_children_count": team.count(),
    }


def return_interviews(user: User, now: datetime.datetime) -> dict[str, int]:
    """Open return home interviews: the user's own and all they can see, overdue and due soon."""
    overdue = Q(rhi_due_at__lt=now)
    soon = Q(rhi_due_at__gte=now, rhi_due_at__lt=now + DUE_SOON)
    mine = Q(rhi_owner=user)
    episodes = visible_missing_episodes(user)
    counts = episodes.rhi_open().aggregate(
        mine_overdue=Count("pk", filter=mine & overdue),
        mine_due_soon=Count("pk", filter=mine & soon),
        all_overdue=Count("pk", filter=overdue),
        all_due_soon=Count("pk", filter=soon),
    )
    return {**counts, "currently_missing": episodes.filter(ended_at__isnull=True).count()}


def referrals_to_screen(user: User) -> int:
    return visible_referrals(user).filter(status=Referral.Status.RECEIVED).count()


def my_open_referrals(user: User) -> int:
    return visible_referrals(user).open().filter(allocated_worker=user).count()


def nrm_decisions_overdue(user: User, today: datetime.date) -> int:
    """Referred to the NRM and the reasonable grounds decision is past its 5-working-day target."""
    referred = NrmReferral.Status.REFERRED
    nrms = visible_nrm_referrals(user)
    return nrms.filter(status=referred, reasonable_grounds_due_on__lt=today).count()


def assessment_work(user: User, today: datetime.date) -> dict[str, int]:
    """A worker's drafts and reviews due soon, and the meeting actions they own."""
    return {
        "drafts": my_draft_assessments(user).count(),
        "reviews_due": my_due_reviews(user, today).count(),
        "actions_open": my_open_actions(user, today).count(),
    }


def assessment_oversight(user: User, today: datetime.date) -> dict[str, int]:
    """For managers: approvals waiting, reviews overdue, meetings without the child's views."""
    return {
        "awaiting_approval": assessments_awaiting_approval(user).count(),
        "reviews_overdue": overdue_reviews(user, today).count(),
        "meetings_without_views": meetings_without_childs_views(user).count(),
    }


def my_work(user: User) -> dict[str, Any]:
    """Every panel the user's capabilities call for."""
    now = timezone.now()
    today = timezone.localdate()
    work: dict[str, Any] = {}
    sees_children = user.has_perm("referrals.view_team_children") or user.has_perm(
        "referrals.view_all_children"
    )
    if sees_children:
        work["caseload"] = caseload(user)
        work["open_referrals"] = my_open_referrals(user)
    if user.has_perm("referrals.screen_referral"):
        work["referrals_to_screen"] = referrals_to_screen(user)
    if user.has_perm("referrals.record_missing_episode"):
        work["rhi"] = return_interviews(user, now)
    if user.has_perm("referrals.record_nrm"):
        work["nrm_overdue"] = nrm_decisions_overdue(user, today)
    if user.has_perm("risk_assessment.complete_assessment"):
        work["assessments"] = assessment_work(user, today)
    if user.has_perm("risk_assessment.approve_assessment"):
        work["oversight"] = assessment_oversight(user, today)
    return work
