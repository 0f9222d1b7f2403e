"""Assessment templates as data: versioned indicators with weights and the level thresholds."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cre_portal.models import BaseModel


class Domain(models.TextChoices):
    MISSING = "MISSING", "Missing and running away"
    ASSOCIATES = "ASSOCIATES", "Associates and relationships"
    MONEY = "MONEY", "Money, gifts and debts"
    PLACES = "PLACES", "Places and travel"
    EDUCATION = "EDUCATION", "Education"
    HEALTH = "HEALTH", "Health"
    BEHAVIOUR = "BEHAVIOUR", "Behaviour and offending"
    ONLINE = "ONLINE", "Online"
    VULNERABILITY = "VULNERABILITY", "Vulnerabilities"


class AssessmentTemplateQuerySet(models.QuerySet["AssessmentTemplate"]):
    def published(self) -> "AssessmentTemplateQuerySet":
        return self.filter(published_at__isnull=False)

    def current(self) -> "AssessmentTemplate | None":
        """The newest published version: what new assessments are made with."""
        return self.published().order_by("-version").first()


class AssessmentTemplate(BaseModel):
    """One version of the tool. Published versions never change; assessments keep theirs."""

    version = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=120)
    # A score at or above a threshold gives that level; significant indicators give High.
    medium_threshold = models.PositiveIntegerField()
    high_threshold = models.PositiveIntegerField()
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_assessment_templates",
    )

    objects = AssessmentTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        permissions = [("publish_template", "Publish a new version of the assessment template")]
        constraints = [
            models.CheckConstraint(
                condition=Q(medium_threshold__gt=0) & Q(high_threshold__gt=F("medium_threshold")),
                name="template_thresholds_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class TemplateIndicator(models.Model):
    template = models.ForeignKey(
        AssessmentTemplate, on_delete=models.PROTECT, related_name="indicators"
    )
    domain = models.CharField(max_length=20, choices=Domain.choices)
    code = models.SlugField(max_length=60)
    text = models.CharField(max_length=255)
    guidance = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField()
    # Present on its own makes the level High, whatever the score.
    is_significant = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="indicator_code_per_template")
        ]

    def __str__(self) -> str:
        return self.code
