"""Setting up tasking groups (tier, chair, cadence, escalation) and their members.

A group's audience ("tasking:<group id>") is what children on its published agendas are shared
with. These services keep it in step with who is in the group, in the same transaction: the chair
and every current member belong to it; a member who leaves is taken out at once, so their sight
of the group's children and subjects ends with the request that removed them.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cre_portal.accounts.models import AudienceMembership, User
from tasking.models import TIER_ABOVE, GroupMembership, TaskingGroup, Tier
from tasking.permissions.groups import (
    can_manage_tasking_groups,
    group_audience,
    is_chair_candidate,
)

GROUP_FIELDS = ("name", "tier", "escalates_to", "chair", "cadence_days", "description", "is_active")


def _today() -> datetime.date:
    return timezone.localdate()


# --- The rules a group must keep ---------------------------------------------------------------
def validate_escalation(*, tier: str, escalates_to: TaskingGroup | None, group_pk: Any) -> None:
    """Items escalate exactly one tier up: operational to strategic, strategic to governance;
    governance escalates nowhere."""
    above = TIER_ABOVE.get(Tier(tier))
    if above is None:
        if escalates_to is not None:
            raise ValidationError({"escalates_to": "A governance group does not escalate"})
        return
    if escalates_to is None:
        raise ValidationError(
            {"escalates_to": f"Select the {above.label.lower()} group this group escalates to"}
        )
    if escalates_to.pk == group_pk or escalates_to.tier != above:
        raise ValidationError(
            {"escalates_to": f"Select a {above.label.lower()} group: items escalate one tier up"}
        )
    if not escalates_to.is_active:
        raise ValidationError({"escalates_to": "Select a group that is still active"})


def _validate_chair(chair: User) -> None:
    if not is_chair_candidate(chair):
        raise ValidationError({"chair": "Select someone who holds the tasking chair role"})


def _validate_tier_change(group: TaskingGroup, old_tier: str) -> None:
    """Groups below escalate to this one; changing its tier would break their rule."""
    if group.tier != old_tier and group.escalates_from.exists():
        raise ValidationError(
            {"tier": "Other groups escalate to this group: change where they escalate first"}
        )


def _validate_name(name: str, group_pk: Any) -> None:
    if TaskingGroup.objects.filter(name__iexact=name).exclude(pk=group_pk).exists():
        raise ValidationError({"name": "There is already a group with this name"})


# --- Keeping the audience in step --------------------------------------------------------------
def _join_audience(user: User, group: TaskingGroup) -> None:
    AudienceMembership.objects.get_or_create(user=user, audience=group_audience(group))


def _leave_audience_unless_still_in(user: User, group: TaskingGroup) -> None:
    """Out of the audience unless they still chair the group or are still a member."""
    if group.chair_id == user.pk:
        return
    if group.memberships.current().filter(user=user).exists():
        return
    AudienceMembership.objects.filter(user=user, audience=group_audience(group)).delete()


# --- Groups ------------------------------------------------------------------------------------
@transaction.atomic
def group_create(*, actor: User, **fields: Any) -> TaskingGroup:
    """Set up a group: its tier, chair, cadence and the group one tier up it escalates to."""
    if not can_manage_tasking_groups(actor):
        raise PermissionDenied
    unknown = fields.keys() - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"Unknown group fields: {sorted(unknown)}")
    _validate_name(fields["name"], None)
    _validate_chair(fields["chair"])
    validate_escalation(tier=fields["tier"], escalates_to=fields.get("escalates_to"), group_pk=None)
    group = TaskingGroup(**fields)
    group.full_clean()
    group.save()
    _join_audience(group.chair, group)
    return group


@transaction.atomic
def group_update(*, group: TaskingGroup, actor: User, changes: dict[str, Any]) -> TaskingGroup:
    """Change a group's details; a new chair joins its audience and the old one leaves it."""
    if not can_manage_tasking_groups(actor):
        raise PermissionDenied
    if changes.keys() - set(GROUP_FIELDS):
        raise TypeError(f"Unknown group fields: {sorted(changes.keys() - set(GROUP_FIELDS))}")
    # Locked, so two managers changing chair or tier cannot both pass the checks.
    group = TaskingGroup.objects.select_for_update().get(pk=group.pk)
    old_chair, old_tier = group.chair, group.tier
    for name, value in changes.items():
        setattr(group, name, value)
    _validate_name(group.name, group.pk)
    _validate_chair(group.chair)
    _validate_tier_change(group, old_tier)
    validate_escalation(tier=group.tier, escalates_to=group.escalates_to, group_pk=group.pk)
    group.full_clean()
    group.save()
    if group.chair_id != old_chair.pk:
        _join_audience(group.chair, group)
        _leave_audience_unless_still_in(old_chair, group)
    return group


# --- Members -----------------------------------------------------------------------------------
@transaction.atomic
def membership_add(
    *,
    group: TaskingGroup,
    user: User,
    actor: User,
    has_covert_clearance: bool = False,
    joined_on: datetime.date | None = None,
) -> GroupMembership:
    """Add a member from any agency; they see the group's shared children from now on."""
    if not can_manage_tasking_groups(actor):
        raise PermissionDenied
    if not user.is_active:
        raise ValidationError({"user": "Select someone whose account is active"})
    if group.memberships.current().filter(user=user).exists():
        raise ValidationError({"user": "This person is already a member of the group"})
    membership = GroupMembership.objects.create(
        group=group,
        user=user,
        has_covert_clearance=has_covert_clearance,
        joined_on=joined_on or _today(),
    )
    _join_audience(user, group)
    return membership


@transaction.atomic
def membership_end(
    *, membership: GroupMembership, actor: User, left_on: datetime.date | None = None
) -> GroupMembership:
    """A member leaves: the row is kept with the date, and their sight ends at once."""
    if not can_manage_tasking_groups(actor):
        raise PermissionDenied
    membership = GroupMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise ValidationError("This person has already left the group")
    left_on = left_on or _today()
    if left_on < membership.joined_on or left_on > _today():
        raise ValidationError(
            {"left_on": "The date they left must be between the date they joined and today"}
        )
    membership.left_on = left_on
    membership.save(update_fields=["left_on", "updated_at"])
    _leave_audience_unless_still_in(membership.user, membership.group)
    return membership


@transaction.atomic
def membership_set_clearance(
    *, membership: GroupMembership, has_covert_clearance: bool, actor: User
) -> GroupMembership:
    """Grant or withdraw covert clearance: cleared members see the group's covert actions."""
    if not can_manage_tasking_groups(actor):
        raise PermissionDenied
    membership = GroupMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise ValidationError("This person has left the group")
    membership.has_covert_clearance = has_covert_clearance
    membership.save(update_fields=["has_covert_clearance", "updated_at"])
    return membership
