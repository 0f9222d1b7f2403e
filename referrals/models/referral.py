"""A CRE referral: what was received, the child's care status that day, screening and closure."""

import uuid

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q

from cre_portal.models import BaseModel
from referrals.codes import CareStatus, ExploitationType, LegalStatus, ReferralSource
from referrals.models.child import Child


class ReferralQuerySet(models.QuerySet["Referral"]):
    def open(self) -> "ReferralQuerySet":
        return self.exclude(status__in=[Referral.Status.CLOSED, Referral.Status.NO_FURTHER_ACTION])

    def with_related(self) -> "ReferralQuerySet":
        return self.select_related("child", "allocated_worker", "created_by")


@pghistory.track()
class Referral(BaseModel):
    class Status(models.TextChoices):
        RECEIVED = "RECEIVED", "Received, awaiting screening"
        ACCEPTED = "ACCEPTED", "Accepted for CRE support"
        NO_FURTHER_ACTION = "NFA", "No further action"
        CLOSED = "CLOSED", "Closed"

    class ClosureReason(models.TextChoices):
        RISK_REDUCED = "RISK_REDUCED", "Risk reduced"
        MOVED_AWAY = "MOVED_AWAY", "Moved out of the area"
        TRANSFERRED = "TRANSFERRED", "Transferred to another service"
        ADULT = "ADULT", "Turned 18"
        DISENGAGED = "DISENGAGED", "Child and family declined support"
        OTHER = "OTHER", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral_ref = models.CharField("referral reference", max_length=40, unique=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    received_on = models.DateField()
    source = models.CharField(max_length=2, choices=ReferralSource.choices)
    referrer_name = models.CharField(max_length=150, blank=True)
    referrer_organisation = models.CharField(max_length=150, blank=True)
    referrer_contact = models.CharField(max_length=150, blank=True)
    exploitation_type = models.CharField(max_length=4, choices=ExploitationType.choices)
    concerns = models.TextField(blank=True)
    # The child's position on the day of the referral, captured once: the reports count these.
    care_status = models.CharField(max_length=10, choices=CareStatus.choices, blank=True)
    looked_after = models.BooleanField()
    legal_status = models.CharField(max_length=2, choices=LegalStatus.choices, blank=True)
    placing_authority = models.CharField(max_length=120, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    screened_on = models.DateField(null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screened_referrals",
    )
    screening_rationale = models.TextField(blank=True)
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocated_referrals",
    )
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    closure_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="created_referrals",
    )
    version = models.PositiveIntegerField(default=1)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-created_at"]
        permissions = [
            ("record_referral", "Record a CRE referral"),
            ("screen_referral", "Screen, allocate and close referrals"),
        ]
        indexes = [
            models.Index(fields=["received_on"], name="referral_received"),
            models.Index(fields=["child", "-received_on"], name="referral_child_received"),
            models.Index(fields=["status"], name="referral_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(looked_after=True) | ~Q(legal_status=""),
                name="referral_looked_after_has_legal_status",
            ),
            models.CheckConstraint(
                condition=Q(looked_after=True) | Q(placing_authority=""),
                name="referral_placing_authority_only_when_looked_after",
            ),
            models.CheckConstraint(
                condition=~Q(status="CLOSED")
                | (Q(closed_on__isnull=False) & ~Q(closure_reason="")),
                name="referral_closed_has_date_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.referral_ref
