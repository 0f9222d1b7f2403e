"""Who may see and act on referrals and case notes. The only home of these rules.

A referral or a note is visible exactly when its child is (`visible_children`); the capabilities
(`record_referral`, `screen_referral`) come from the roles' data migrations.
"""

from django.db.models import Q, QuerySet

from cre_portal.accounts.models import User
from referrals.models import CaseNote, Child, Referral, ReferralQuerySet
from referrals.permissions.children import visible_children

RECORD_REFERRAL = "referrals.record_referral"
SCREEN_REFERRAL = "referrals.screen_referral"


def _sees_child(user: User, child: Child) -> bool:
    return visible_children(user).filter(pk=child.pk).exists()


def visible_referrals(user: User) -> ReferralQuerySet:
    """The referrals the user may open: those about a child they may see."""
    return Referral.objects.filter(child__in=visible_children(user))


def visible_case_notes(user: User) -> QuerySet[CaseNote]:
    """The case notes the user may read: those on a child they may see."""
    return CaseNote.objects.filter(child__in=visible_children(user))


def can_record_referral(user: User, child: Child) -> bool:
    """Record a referral on a child the user can see."""
    if not user.has_perm(RECORD_REFERRAL):
        return False
    return _sees_child(user, child)


def can_add_case_note(user: User, child: Child) -> bool:
    """Case notes are written by those who record referrals, on children they can see."""
    return can_record_referral(user, child)


def can_edit_referral(user: User, referral: Referral) -> bool:
    """Correct a referral's details (the service allows it only until it is screened)."""
    return can_record_referral(user, referral.child)


def can_screen_referral(user: User, referral: Referral) -> bool:
    """Managers screen (and allocate and close) the referrals of children they can see."""
    if not user.has_perm(SCREEN_REFERRAL):
        return False
    return _sees_child(user, referral.child)


def can_allocate_referral(user: User, referral: Referral) -> bool:
    """The screening capability covers allocation."""
    return can_screen_referral(user, referral)


def can_close_referral(user: User, referral: Referral) -> bool:
    """The screening capability covers closure."""
    return can_screen_referral(user, referral)


def can_list_referrals(user: User) -> bool:
    """The referrals list is the managers' screening queue."""
    return user.has_perm(SCREEN_REFERRAL)


def _holders(codename: str) -> QuerySet[User]:
    """Users holding a referrals capability through one of their roles."""
    return User.objects.filter(
        groups__permissions__content_type__app_label="referrals",
        groups__permissions__codename=codename,
    )


def allocatable_workers(child: Child) -> QuerySet[User]:
    """Active users who record referrals and can open the child's record (as visible_children).

    A referral allocated to someone who cannot open the child would be invisible to them; the
    allocation service checks the chosen worker with `visible_children` itself as well.
    """
    sees_child = Q(pk__in=_holders("view_all_children").values("pk"))
    if child.team_id is not None:
        team_holders = _holders("view_team_children").filter(team_id=child.team_id)
        sees_child |= Q(pk__in=team_holders.values("pk"))
    if child.allocated_worker_id is not None:
        allocated = _holders("view_team_children").filter(pk=child.allocated_worker_id)
        sees_child |= Q(pk__in=allocated.values("pk"))
    return (
        User.objects.filter(is_active=True, pk__in=_holders("record_referral").values("pk"))
        .filter(sees_child)
        .select_related("team")
        .order_by("full_name", "email")
    )
