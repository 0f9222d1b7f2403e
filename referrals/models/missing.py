"""Missing episodes (903 kinds M and A) and the return home interview with its 72-hour clock."""

import uuid
from typing import Any

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from cre_portal.models import BaseModel
from cre_portal.timescales import rhi_due_at
from referrals.codes import ExploitationIndicator, MissingKind, PoliceRisk, RhiOffered
from referrals.models.child import Child


class MissingEpisodeQuerySet(models.QuerySet["MissingEpisode"]):
    def with_related(self) -> "MissingEpisodeQuerySet":
        return self.select_related("child", "rhi_owner", "return_interview")

    def rhi_open(self) -> "MissingEpisodeQuerySet":
        """Returned, an interview is or may be offered, and none has been completed."""
        return (
            self.filter(
                ended_at__isnull=False,
                rhi_due_at__isnull=False,
            )
            .exclude(rhi_offered=RhiOffered.NOT_APPLICABLE)
            .exclude(return_interview__completed_at__isnull=False)
            .exclude(rhi_accepted=False)
        )

    def rhi_overdue(self, now: Any = None) -> "MissingEpisodeQuerySet":
        return self.rhi_open().filter(rhi_due_at__lt=now or timezone.now())


@pghistory.track()
class MissingEpisode(BaseModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode_ref = models.CharField("episode reference", max_length=40, unique=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="missing_episodes")
    kind = models.CharField(max_length=1, choices=MissingKind.choices)
    # When the child left or was last seen by a responsible adult, whichever is later.
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    police_risk = models.CharField(max_length=20, choices=PoliceRisk.choices, blank=True)
    where_found = models.TextField(blank=True)
    rhi_offered = models.CharField(max_length=2, choices=RhiOffered.choices, default=RhiOffered.YES)
    rhi_accepted = models.BooleanField(null=True, blank=True)
    # What the carer or child said when the interview was declined.
    rhi_declined_note = models.TextField(blank=True)
    # Derived from ended_at on save: 72 hours after return.
    rhi_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    rhi_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_return_interviews",
    )
    # Reminder e-mails already sent, so the daily job never sends the same one twice.
    rhi_due_soon_reminded_at = models.DateTimeField(null=True, blank=True)
    rhi_overdue_reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recorded_missing_episodes",
    )
    version = models.PositiveIntegerField(default=1)

    objects = MissingEpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        permissions = [("record_missing_episode", "Record missing episodes and return interviews")]
        indexes = [
            models.Index(fields=["child", "-started_at"], name="missing_child_started"),
            models.Index(fields=["ended_at"], name="missing_ended"),
            models.Index(
                fields=["rhi_due_at"],
                name="missing_rhi_due_open",
                condition=Q(rhi_due_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="missing_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.episode_ref

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.rhi_due_at = rhi_due_at(self.ended_at) if self.ended_at else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "rhi_due_at"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


@pghistory.track()
class ReturnInterview(BaseModel):
    """The interview record. Its exploitation indicators are the CRE screen."""

    episode = models.OneToOneField(
        MissingEpisode, on_delete=models.PROTECT, related_name="return_interview"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="return_interviews",
    )
    interviewer_name = models.CharField(max_length=150, blank=True)
    interviewer_role = models.CharField(max_length=100, blank=True)
    interviewer_agency = models.CharField(max_length=100, blank=True)
    push_factors = models.TextField(blank=True)
    pull_factors = models.TextField(blank=True)
    where_went = models.TextField(blank=True)
    who_with = models.TextField(blank=True)
    how_travelled = models.TextField(blank=True)
    harm = models.TextField(blank=True)
    child_words = models.TextField("the child's own words", blank=True)
    exploitation_indicators = ArrayField(
        models.CharField(max_length=30, choices=ExploitationIndicator.choices),
        default=list,
        blank=True,
    )
    onward_actions = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-completed_at"]

    def __str__(self) -> str:
        return f"RHI {self.episode.episode_ref}"

    @property
    def screens_positive(self) -> bool:
        return bool(self.exploitation_indicators)
