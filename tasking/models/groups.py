"""Tasking groups in three tiers and their members (any agency), some with covert clearance."""

import uuid

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q

from cre_portal.models import BaseModel


class Tier(models.TextChoices):
    OPERATIONAL = "OPERATIONAL", "Operational"
    STRATEGIC = "STRATEGIC", "Strategic"
    GOVERNANCE = "GOVERNANCE", "Governance"


# Items escalate one tier up.
TIER_ABOVE = {Tier.OPERATIONAL: Tier.STRATEGIC, Tier.STRATEGIC: Tier.GOVERNANCE}


@pghistory.track()
class TaskingGroup(BaseModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120, unique=True)
    tier = models.CharField(max_length=12, choices=Tier.choices)
    # The group one tier up that escalations go to.
    escalates_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="escalates_from"
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_tasking_groups"
    )
    cadence_days = models.PositiveSmallIntegerField(default=14)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["tier", "name"]
        permissions = [("manage_tasking_groups", "Set up tasking groups and their members")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(tier=Tier.GOVERNANCE) | Q(escalates_to__isnull=True),
                name="governance_escalates_nowhere",
            )
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["GroupMembership"]):
    def current(self) -> "MembershipQuerySet":
        return self.filter(left_on__isnull=True)


@pghistory.track()
class GroupMembership(BaseModel):
    group = models.ForeignKey(TaskingGroup, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasking_memberships"
    )
    has_covert_clearance = models.BooleanField(default=False)
    joined_on = models.DateField()
    # A member who leaves stops seeing the group's agendas, children and subjects at once.
    left_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(left_on__isnull=True),
                name="one_current_membership",
            )
        ]

    def __str__(self) -> str:
        return f"Membership {self.pk}"
