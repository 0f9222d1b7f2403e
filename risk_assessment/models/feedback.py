"""Evaluation forms for children, parents and carers, answered on a single-use link."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cre_portal.models import BaseModel
from referrals.models import Child
from risk_assessment.models.meetings import ProfessionalsMeeting


class FeedbackLink(BaseModel):
    class MeetingKind(models.TextChoices):
        LAC_REVIEW = "LAC_REVIEW", "Looked-after child review"
        CIN = "CIN", "Child in need meeting"
        CP = "CP", "Child protection conference"
        PROFESSIONALS = "PROFESSIONALS", "Professionals' meeting"

    class Respondent(models.TextChoices):
        CHILD = "CHILD", "Child or young person"
        PARENT = "PARENT", "Parent"
        CARER = "CARER", "Carer"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Only a hash is stored: the token itself exists only in the link given to the family.
    token_hash = models.CharField(max_length=64, unique=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="feedback_links")
    meeting_kind = models.CharField(max_length=15, choices=MeetingKind.choices)
    meeting = models.ForeignKey(
        ProfessionalsMeeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_links",
    )
    meeting_on = models.DateField()
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feedback_links"
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(meeting_kind="PROFESSIONALS") | Q(meeting__isnull=False),
                name="feedback_professionals_meeting_named",
            )
        ]

    def __str__(self) -> str:
        return f"Feedback link {self.pk}"


class FeedbackResponse(BaseModel):
    class Rating(models.IntegerChoices):
        NOT_AT_ALL = 1, "Not at all"
        A_LITTLE = 2, "A little"
        MOSTLY = 3, "Mostly"
        COMPLETELY = 4, "Completely"

    link = models.OneToOneField(FeedbackLink, on_delete=models.PROTECT, related_name="response")
    listened_to = models.PositiveSmallIntegerField(choices=Rating.choices)
    understood = models.PositiveSmallIntegerField(choices=Rating.choices)
    helped = models.PositiveSmallIntegerField(choices=Rating.choices)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Feedback {self.pk}"
