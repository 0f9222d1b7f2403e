"""Who may see and record missing episodes, return home interviews and Philomena profiles."""

from typing import Any

from django.db.models import Q, QuerySet

from cre_portal.accounts.models import User
from referrals.models import Child, MissingEpisode, MissingEpisodeQuerySet
from referrals.permissions.children import visible_children

RECORD_MISSING = "referrals.record_missing_episode"
RECORD_REFERRAL = "referrals.record_referral"
EDIT_CHILD_RECORD = "referrals.add_child_record"


def visible_missing_episodes(user: User) -> MissingEpisodeQuerySet:
    """Episodes of the children whose records the user may open."""
    return MissingEpisode.objects.filter(child__in=visible_children(user))


def _sees(user: User, child: Child) -> bool:
    return visible_children(user).filter(pk=child.pk).exists()


def can_record_missing_episode(user: User, child: Child) -> bool:
    """Record an episode, its return or its interview for a child the user can see."""
    if not user.has_perm(RECORD_MISSING):
        return False
    return _sees(user, child)


def can_record_return_interview(user: User, episode: MissingEpisode) -> bool:
    """Record the return and the return home interview of an episode the user can see."""
    return can_record_missing_episode(user, episode.child)


def can_start_referral_from_interview(user: User, episode: MissingEpisode) -> bool:
    """Start a CRE referral from an interview that screened positive."""
    if not user.has_perm(RECORD_REFERRAL):
        return False
    return _sees(user, episode.child)


def can_edit_philomena_profile(user: User, child: Child) -> bool:
    """The Philomena profile is part of the child's record: those who edit records keep it."""
    if not user.has_perm(EDIT_CHILD_RECORD):
        return False
    return _sees(user, child)


def rhi_owner_candidates(including: Any = None) -> QuerySet[User]:
    """Active users who record missing episodes, and `including` (a user id already chosen)."""
    app_label, codename = RECORD_MISSING.split(".")
    through_role = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    )
    direct = Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    candidates = User.objects.filter(through_role | direct, is_active=True).values("pk")
    # Ids in a subquery, so the list needs no DISTINCT; a past choice stays selectable.
    chosen = Q(pk=including) if including else Q(pk__in=[])
    return User.objects.filter(Q(pk__in=candidates) | chosen).order_by("full_name", "email")
