"""Who may see, book and chair professionals' meetings. The only home of these rules.

A meeting and its actions are visible to whoever may open the child's record. Booking, editing,
recording and cancelling need the `book_meeting` capability as well; the chair depends on the
child's risk level: a child-protection manager for High, a service manager for Medium, anyone
who may book meetings for Low.
"""

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

from cre_portal.accounts.models import User
from cre_portal.accounts.roles import Role
from referrals.codes import RiskLevel
from referrals.models import Child
from referrals.permissions.children import visible_children
from risk_assessment.models import Assessment, MeetingAction, MeetingQuerySet, ProfessionalsMeeting

BOOK_MEETING = "risk_assessment.book_meeting"
CHAIR_ROLES: dict[str, str] = {
    RiskLevel.HIGH.value: Role.CP_MANAGER.value,
    RiskLevel.MEDIUM.value: Role.SERVICE_MANAGER.value,
}
# Approved assessments at these levels call for a professionals' meeting.
MEETING_LEVELS = (RiskLevel.MEDIUM, RiskLevel.HIGH)


def required_chair_role(level: str) -> str | None:
    """The role the chair must hold for a meeting about a child at `level`; None for Low."""
    return CHAIR_ROLES.get(level)


def _meeting_bookers() -> QuerySet[User]:
    """Active users who hold `book_meeting` through a role or directly."""
    app_label, codename = BOOK_MEETING.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    holds = Q(groups__permissions__in=permission) | Q(user_permissions__in=permission)
    return User.objects.filter(holds, is_active=True).distinct()


def eligible_chairs(level: str) -> QuerySet[User]:
    """The active users who may chair a meeting about a child at `level`."""
    role = required_chair_role(level)
    if role is None:
        return _meeting_bookers().order_by("full_name", "email")
    chairs = User.objects.filter(is_active=True, groups__name=role).distinct()
    return chairs.order_by("full_name", "email")


def can_chair(user: User, level: str) -> bool:
    """Whether `user` may chair a meeting about a child at `level`."""
    return eligible_chairs(level).filter(pk=user.pk).exists()


def visible_meetings(user: User) -> MeetingQuerySet:
    """Meetings about the children the user may see, with the child and chair loaded."""
    children = visible_children(user).values("pk")
    meetings = ProfessionalsMeeting.objects.filter(child__in=children)
    return meetings.with_related()


def visible_meeting_actions(user: User) -> QuerySet[MeetingAction]:
    """Actions are visible with their meeting."""
    children = visible_children(user).values("pk")
    actions = MeetingAction.objects.filter(meeting__child__in=children)
    return actions.select_related("meeting", "meeting__child", "owner")


def assessments_to_book_from(user: User) -> QuerySet[Assessment]:
    """Approved Medium or High assessments of children the user sees: a meeting may follow."""
    children = visible_children(user).values("pk")
    approved = Assessment.objects.filter(child__in=children, status=Assessment.Status.APPROVED)
    return approved.filter(level__in=MEETING_LEVELS).select_related("child")


def can_book_meeting(user: User, child: Child) -> bool:
    """Booking a meeting about a child: the capability, and the child in scope."""
    if not user.has_perm(BOOK_MEETING):
        return False
    return visible_children(user).filter(pk=child.pk).exists()


def can_manage_meeting(user: User, meeting: ProfessionalsMeeting) -> bool:
    """Editing, recording and cancelling a meeting, and adding attendees and actions."""
    return can_book_meeting(user, meeting.child)


def can_update_action(user: User, action: MeetingAction) -> bool:
    """Whoever manages the meeting, or the action's own owner while they can see the child."""
    if can_manage_meeting(user, action.meeting):
        return True
    if action.owner_id != user.pk:
        return False
    return visible_children(user).filter(pk=action.meeting.child_id).exists()
