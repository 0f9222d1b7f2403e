"""Subjects of concern (persons, places, businesses, vehicles, online accounts, peer groups)
and their links to children and to each other, each with source, date and grading."""

import uuid
from typing import Any

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q

from cre_portal.models import BaseModel
from referrals.models import Child


class SubjectKind(models.TextChoices):
    PERSON = "PERSON", "Person"
    PLACE = "PLACE", "Place"
    BUSINESS = "BUSINESS", "Business"
    VEHICLE = "VEHICLE", "Vehicle"
    ONLINE = "ONLINE", "Online account"
    PEER_GROUP = "PEER_GROUP", "Peer group"


class LinkSource(models.TextChoices):
    REFERRAL = "REFERRAL", "Referral"
    RHI = "RHI", "Return home interview"
    MEETING = "MEETING", "Meeting"
    INTELLIGENCE = "INTELLIGENCE", "Intelligence"


class Grading(models.TextChoices):
    VERIFIED = "VERIFIED", "Verified"
    REPORTED = "REPORTED", "Reported"
    SUSPECTED = "SUSPECTED", "Suspected"


def subject_search_text(*parts: Any) -> str:
    """Names, aliases, plates, phones and handles in one lower-case string for trigram search."""
    words: list[str] = []
    for part in parts:
        words.extend(part if isinstance(part, list) else [part or ""])
    return " ".join(w for w in words if w).lower()


@pghistory.track()
class SubjectOfConcern(BaseModel):
    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", "Active"
        DORMANT = "DORMANT", "Dormant"
        CLOSED = "CLOSED", "Closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=12, choices=SubjectKind.choices)
    name = models.CharField(max_length=200)
    aliases = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    vehicle_registration = models.CharField(max_length=10, blank=True)
    phone_numbers = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    online_handles = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    review_on = models.DateField(null=True, blank=True)
    # Subjects are sealed by default: opening one asks for a reason, like a restricted child.
    is_restricted = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="created_subjects",
    )
    version = models.PositiveIntegerField(default=1)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = "subject of concern"
        verbose_name_plural = "subjects of concern"
        permissions = [("record_subject", "Record subjects of concern and their links")]
        indexes = [
            GinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="subject_search_trgm"
            ),
            models.Index(fields=["kind", "status"], name="subject_kind_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    def derive_search_text(self) -> None:
        """Call before bulk_create, which skips save()."""
        self.search_text = subject_search_text(
            self.name,
            self.aliases,
            self.vehicle_registration.replace(" ", ""),
            [p.replace(" ", "") for p in self.phone_numbers],
            self.online_handles,
            self.postcode,
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class LinkFields(BaseModel):
    source = models.CharField(max_length=12, choices=LinkSource.choices)
    # What the link came from, e.g. a referral or RHI reference; free text for intelligence logs.
    source_reference = models.CharField(max_length=60, blank=True)
    linked_on = models.DateField()
    grading = models.CharField(max_length=10, choices=Grading.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True


@pghistory.track()
class ChildSubjectLink(LinkFields):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="subject_links")
    subject = models.ForeignKey(
        SubjectOfConcern, on_delete=models.PROTECT, related_name="child_links"
    )

    class Meta:
        ordering = ["-linked_on"]
        indexes = [
            models.Index(fields=["subject", "-linked_on"], name="childlink_subject_date"),
            models.Index(fields=["child", "-linked_on"], name="childlink_child_date"),
        ]

    def __str__(self) -> str:
        return f"Link {self.pk}"


@pghistory.track()
class SubjectAssociation(LinkFields):
    """Two subjects linked, e.g. a person who frequents a place; stored once, either way round."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject = models.ForeignKey(
        SubjectOfConcern, on_delete=models.PROTECT, related_name="associations_from"
    )
    other = models.ForeignKey(
        SubjectOfConcern, on_delete=models.PROTECT, related_name="associations_to"
    )

    class Meta:
        ordering = ["-linked_on"]
        constraints = [
            models.CheckConstraint(condition=~Q(subject=F("other")), name="association_not_self")
        ]

    def __str__(self) -> str:
        return f"Association {self.pk}"
