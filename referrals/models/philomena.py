"""The Philomena Protocol profile: kept in advance, handed to police when the child goes missing."""

import pghistory
from django.conf import settings
from django.db import models

from cre_portal.models import BaseModel
from referrals.models.child import Child


@pghistory.track()
class PhilomenaProfile(BaseModel):
    child = models.OneToOneField(Child, on_delete=models.PROTECT, related_name="philomena_profile")
    physical_description = models.TextField(blank=True)
    distinguishing_features = models.TextField(blank=True)
    associates = models.TextField(blank=True)
    places_frequented = models.TextField(blank=True)
    phone_numbers = models.TextField(blank=True)
    social_media = models.TextField(blank=True)
    medical_needs = models.TextField(blank=True)
    other_information = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="updated_philomena_profiles",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["child"]

    def __str__(self) -> str:
        return f"Philomena profile {self.child_id}"
