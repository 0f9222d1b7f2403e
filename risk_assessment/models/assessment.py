"""A CRE risk assessment of a child: answers, derived score and level, judgement and approval."""

import uuid

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q

from cre_portal.models import BaseModel
from referrals.codes import ExploitationType, RiskLevel
from referrals.models import Child, MissingEpisode, Referral
from risk_assessment.models.templates import AssessmentTemplate, TemplateIndicator


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def with_related(self) -> "AssessmentQuerySet":
        return self.select_related("child", "template", "created_by", "decided_by")

    def approved(self) -> "AssessmentQuerySet":
        return self.filter(status=Assessment.Status.APPROVED)


@pghistory.track()
class Assessment(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "DRAFT", "Draft"
        SUBMITTED = "SUBMITTED", "Submitted for approval"
        APPROVED = "APPROVED", "Approved"
        RETURNED = "RETURNED", "Returned with comments"

    class Origin(models.TextChoices):
        REFERRAL = "REFERRAL", "A referral"
        RHI = "RHI", "A return home interview"
        REVIEW = "REVIEW", "A review"
        IMPORT = "IMPORT", "Imported history"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment_ref = models.CharField("assessment reference", max_length=40, unique=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="assessments")
    # Null only for imported historical outcomes, which carry a level but no answers.
    template = models.ForeignKey(
        AssessmentTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField(max_length=10, choices=Origin.choices)
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    missing_episode = models.ForeignKey(
        MissingEpisode, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    # The child's previous approved assessment when this one was started, for "what changed".
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exploitation_type = models.CharField(max_length=4, choices=ExploitationType.choices)
    child_view = models.TextField("the child's view", blank=True)
    parent_view = models.TextField("the parent or carer's view", blank=True)
    # Derived by the service from the answers and the template, never typed.
    score = models.PositiveIntegerField(null=True, blank=True)
    computed_level = models.CharField(max_length=6, choices=RiskLevel.choices, blank=True)
    override_level = models.CharField(max_length=6, choices=RiskLevel.choices, blank=True)
    override_reason = models.TextField(blank=True)
    # The level that counts: the override when there is one, else the computed level.
    level = models.CharField(max_length=6, choices=RiskLevel.choices, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decided_assessments",
    )
    manager_comments = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="created_assessments",
    )
    version = models.PositiveIntegerField(default=1)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-created_at"]
        permissions = [
            ("complete_assessment", "Start, edit and submit risk assessments"),
            ("approve_assessment", "Approve or return risk assessments"),
        ]
        indexes = [
            models.Index(fields=["child", "-completed_on", "-created_at"], name="assess_child"),
            models.Index(fields=["status"], name="assess_status"),
            models.Index(fields=["completed_on"], name="assess_completed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(override_level="") | ~Q(override_reason=""),
                name="assessment_override_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="APPROVED") | (~Q(level="") & Q(completed_on__isnull=False)),
                name="assessment_approved_has_level_and_date",
            ),
        ]

    def __str__(self) -> str:
        return self.assessment_ref


@pghistory.track()
class IndicatorAnswer(models.Model):
    class Answer(models.TextChoices):
        PRESENT = "PRESENT", "Present"
        NOT_PRESENT = "NOT_PRESENT", "Not present"
        NOT_KNOWN = "NOT_KNOWN", "Not known"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(TemplateIndicator, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    evidence = models.TextField(blank=True)
    source = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["assessment", "indicator__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="one_answer_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.answer}"
