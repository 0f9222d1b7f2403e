"""National Referral Mechanism (modern slavery) referrals and their decisions."""

import uuid
from typing import Any

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Value, When

from cre_portal.models import BaseModel
from cre_portal.timescales import nrm_reasonable_grounds_due, nrm_recovery_period_ends
from referrals.models.child import Child


class Decision(models.TextChoices):
    POSITIVE = "POSITIVE", "Positive"
    NEGATIVE = "NEGATIVE", "Negative"


class NrmReferralQuerySet(models.QuerySet["NrmReferral"]):
    def with_related(self) -> "NrmReferralQuerySet":
        return self.select_related("child")

    def awaiting_decision(self) -> "NrmReferralQuerySet":
        """Open referrals waiting for a decision: reasonable grounds first, most overdue first."""
        status = NrmReferral.Status
        awaiting_rg = Case(
            When(status=status.REFERRED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return (
            self.filter(status__in=[status.REFERRED, status.RECOVERY, status.RECONSIDERATION])
            .annotate(awaiting_rg=awaiting_rg)
            .order_by("awaiting_rg", "reasonable_grounds_due_on", "pk")
        )


@pghistory.track()
class NrmReferral(BaseModel):
    class Status(models.TextChoices):
        CONSIDERED = "CONSIDERED", "Considered"
        REFERRED = "REFERRED", "Referred, awaiting reasonable grounds decision"
        RECOVERY = "RECOVERY", "Positive reasonable grounds: recovery period"
        RG_NEGATIVE = "RG_NEGATIVE", "Negative reasonable grounds decision"
        CONCLUDED = "CONCLUDED", "Conclusive grounds decision made"
        RECONSIDERATION = "RECONSIDERATION", "Reconsideration requested"
        WITHDRAWN = "WITHDRAWN", "Withdrawn"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="nrm_referrals")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONSIDERED)
    considered_on = models.DateField()
    referred_on = models.DateField(null=True, blank=True)
    first_responder_organisation = models.CharField(max_length=150, blank=True)
    # Derived on save from referred_on: 5 working days with England bank holidays.
    reasonable_grounds_due_on = models.DateField(null=True, blank=True, editable=False)
    reasonable_grounds_decision = models.CharField(
        max_length=10, choices=Decision.choices, blank=True
    )
    reasonable_grounds_on = models.DateField(null=True, blank=True)
    # Derived: at least 30 days from a positive reasonable grounds decision.
    recovery_period_ends_on = models.DateField(null=True, blank=True, editable=False)
    conclusive_grounds_decision = models.CharField(
        max_length=10, choices=Decision.choices, blank=True
    )
    conclusive_grounds_on = models.DateField(null=True, blank=True)
    reconsideration_requested_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="created_nrm_referrals",
    )
    version = models.PositiveIntegerField(default=1)

    objects = NrmReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-considered_on", "-created_at"]
        verbose_name = "NRM referral"
        permissions = [("record_nrm", "Record National Referral Mechanism steps")]
        indexes = [
            models.Index(fields=["referred_on"], name="nrm_referred"),
            models.Index(fields=["status"], name="nrm_status"),
        ]

    def __str__(self) -> str:
        return f"NRM {self.child_id} {self.considered_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.reasonable_grounds_due_on = (
            nrm_reasonable_grounds_due(self.referred_on) if self.referred_on else None
        )
        positive = self.reasonable_grounds_decision == Decision.POSITIVE
        self.recovery_period_ends_on = (
            nrm_recovery_period_ends(self.reasonable_grounds_on)
            if positive and self.reasonable_grounds_on
            else None
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "reasonable_grounds_due_on",
                "recovery_period_ends_on",
            }
        super().save(*args, **kwargs)
