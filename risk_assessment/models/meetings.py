"""Professionals' meetings: chair by level, the child's voice, decisions and actions."""

import uuid

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q

from cre_portal.models import BaseModel
from referrals.codes import RiskLevel
from referrals.models import Child
from risk_assessment.models.assessment import Assessment


class MeetingQuerySet(models.QuerySet["ProfessionalsMeeting"]):
    def with_related(self) -> "MeetingQuerySet":
        return self.select_related("child", "chair", "assessment")

    def without_childs_views(self) -> "MeetingQuerySet":
        """Held meetings where neither the child's views nor the reason they weren't are noted."""
        return self.filter(
            status=ProfessionalsMeeting.Status.HELD, child_views="", child_views_not_obtained=""
        )


@pghistory.track()
class ProfessionalsMeeting(BaseModel):
    class Status(models.TextChoices):
        SCHEDULED = "SCHEDULED", "Scheduled"
        HELD = "HELD", "Held"
        CANCELLED = "CANCELLED", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="meetings")
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    # The level when the meeting was booked decides who must chair it.
    risk_level = models.CharField(max_length=6, choices=RiskLevel.choices)
    scheduled_for = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_meetings"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    child_invited = models.BooleanField(default=True)
    child_attended = models.BooleanField(null=True, blank=True)
    parents_invited = models.BooleanField(default=True)
    parents_attended = models.BooleanField(null=True, blank=True)
    child_views = models.TextField("the child's views", blank=True)
    child_views_not_obtained = models.TextField(
        "why the child's views could not be obtained", blank=True
    )
    decisions = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="booked_meetings",
    )
    version = models.PositiveIntegerField(default=1)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_for"]
        permissions = [("book_meeting", "Book and record professionals' meetings")]
        indexes = [
            models.Index(fields=["child", "-scheduled_for"], name="meeting_child"),
            models.Index(fields=["status", "scheduled_for"], name="meeting_status_time"),
        ]

    def __str__(self) -> str:
        return f"Meeting {self.pk}"


class MeetingAttendee(models.Model):
    meeting = models.ForeignKey(
        ProfessionalsMeeting, on_delete=models.CASCADE, related_name="attendees"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=100, blank=True)
    agency = models.CharField(max_length=100, blank=True)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="attendee_is_user_or_named"
            )
        ]

    def __str__(self) -> str:
        return f"Attendee {self.pk}"


@pghistory.track()
class MeetingAction(BaseModel):
    class Status(models.TextChoices):
        OPEN = "OPEN", "Open"
        DONE = "DONE", "Done"
        CANCELLED = "CANCELLED", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        ProfessionalsMeeting, on_delete=models.PROTECT, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_actions",
    )
    owner_name = models.CharField(max_length=150, blank=True)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        indexes = [models.Index(fields=["owner", "status", "due_on"], name="action_owner_due")]

    def __str__(self) -> str:
        return f"Action {self.pk}"
