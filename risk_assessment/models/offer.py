"""The CRE Offer: a catalogue of interventions by level, and what was offered to each child."""

import uuid

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.db import models

from cre_portal.models import BaseModel
from referrals.codes import RiskLevel
from referrals.models import Child
from risk_assessment.models.assessment import Assessment


class InterventionCategory(models.TextChoices):
    EDUCATION = "EDUCATION", "Education"
    POLICE = "POLICE", "Police"
    HEALTH = "HEALTH", "Health"
    SPECIALIST = "SPECIALIST", "Specialist services"
    VOLUNTARY = "VOLUNTARY", "Voluntary sector"
    FAMILY = "FAMILY", "Family support"
    DISRUPTION = "DISRUPTION", "Disruption of persons and places"


class Intervention(BaseModel):
    name = models.CharField(max_length=150, unique=True)
    category = models.CharField(max_length=20, choices=InterventionCategory.choices)
    description = models.TextField(blank=True)
    # The levels this support is proportionate to; an approved assessment proposes these.
    levels = ArrayField(models.CharField(max_length=6, choices=RiskLevel.choices))
    default_provider = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class OfferItem(BaseModel):
    class Status(models.TextChoices):
        PROPOSED = "PROPOSED", "Proposed"
        OFFERED = "OFFERED", "Offered"
        ACCEPTED = "ACCEPTED", "Accepted"
        DECLINED = "DECLINED", "Declined"
        DELIVERED = "DELIVERED", "Being delivered"
        ENDED = "ENDED", "Ended"
        WITHDRAWN = "WITHDRAWN", "Not offered"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="offer_items")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="offer_items")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="offer_items"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    provider = models.CharField(max_length=150, blank=True)
    offered_on = models.DateField(null=True, blank=True)
    responded_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["assessment", "intervention__category", "intervention__name"]
        indexes = [models.Index(fields=["child", "status"], name="offer_child_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "intervention"], name="offer_once_per_assessment"
            )
        ]

    def __str__(self) -> str:
        return f"Offer {self.pk}"
