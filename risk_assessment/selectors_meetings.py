"""Meeting reads for the home dashboard: the child's voice missing, and the user's open actions."""

import datetime

from django.db.models import BooleanField, Case, QuerySet, Value, When

from cre_portal.accounts.models import User
from risk_assessment.models import MeetingAction, MeetingQuerySet
from risk_assessment.permissions.meetings import visible_meeting_actions, visible_meetings


def meetings_without_childs_views(user: User) -> MeetingQuerySet:
    """Held meetings the user can see where neither the child's views nor why are recorded."""
    meetings = visible_meetings(user).without_childs_views()
    return meetings.order_by("-scheduled_for")  # type: ignore[return-value]


def my_open_actions(user: User, today: datetime.date) -> QuerySet[MeetingAction]:
    """Open meeting actions the user owns, soonest due first, each marked `is_overdue`."""
    actions = visible_meeting_actions(user).filter(owner=user, status=MeetingAction.Status.OPEN)
    overdue = Case(
        When(due_on__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    return actions.annotate(is_overdue=overdue).order_by("due_on", "created_at")
