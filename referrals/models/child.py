"""The child record. Referrals, missing episodes and the chronology build on it."""

import uuid
from typing import Any

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q

from cre_portal.accounts.models import Team
from cre_portal.models import BaseModel
from referrals.codes import (
    CareStatus,
    Disability,
    Ethnicity,
    LegalStatus,
    PlacementType,
    RiskLevel,
    Sex,
)


class ChildQuerySet(models.QuerySet["Child"]):
    def with_related(self) -> "ChildQuerySet":
        return self.select_related("team", "allocated_worker")


def child_search_text(first_name: str, last_name: str, known_as: list[str], child_ref: str) -> str:
    """Names, aliases and reference in one lower-case string for the trigram index."""
    return " ".join([first_name, last_name, *known_as, child_ref]).lower()


@pghistory.track()
class Child(BaseModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child_ref = models.CharField("case reference", max_length=40, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    known_as = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    gender_identity = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices)
    disability = ArrayField(
        models.CharField(max_length=4, choices=Disability.choices), default=list, blank=True
    )
    care_status = models.CharField(max_length=10, choices=CareStatus.choices)
    legal_status = models.CharField(max_length=2, choices=LegalStatus.choices, blank=True)
    # Empty means this authority; otherwise the child was placed here by the named authority.
    placing_authority = models.CharField(max_length=120, blank=True)
    placement_type = models.CharField(max_length=2, choices=PlacementType.choices, blank=True)
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocated_children",
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Restricted records ask for a reason before they open ("break glass").
    is_restricted = models.BooleanField(default=False)
    # Set by the missing-episode service when the repeat-missing rule is met; cleared by a worker.
    repeat_missing_since = models.DateTimeField(null=True, blank=True)
    # The latest approved CRE risk assessment, recorded here by the risk_assessment service.
    risk_level = models.CharField(max_length=6, choices=RiskLevel.choices, blank=True)
    risk_assessed_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    # Derived on save for the trigram index; never edited.
    search_text = models.TextField(editable=False, default="")
    # Optimistic lock: a save based on a stale copy is refused.
    version = models.PositiveIntegerField(default=1)

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "child_ref"]
        verbose_name_plural = "children"
        permissions = [
            ("view_team_children", "See the children allocated to them or their team"),
            ("view_all_children", "See every child's record in the authority"),
            ("view_shared_children", "See the children shared with groups they belong to"),
            ("view_child_access_log", "See who has looked at a child's record"),
            ("add_child_record", "Add children and edit their records"),
            ("import_cases", "Import and export case data in the data exchange format"),
        ]
        indexes = [
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="child_search_trgm"),
            models.Index(fields=["date_of_birth"], name="child_dob"),
            models.Index(fields=["risk_level"], name="child_risk_level"),
            models.Index(fields=["next_review_on"], name="child_next_review"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="child_sex_is_903_code"),
            models.CheckConstraint(
                condition=Q(ethnicity__in=Ethnicity.values), name="child_ethnicity_is_dfe_code"
            ),
            models.CheckConstraint(
                condition=Q(care_status__in=CareStatus.values), name="child_care_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(care_status=CareStatus.LAC) | ~Q(legal_status=""),
                name="child_looked_after_has_legal_status",
            ),
        ]

    def __str__(self) -> str:
        return self.child_ref

    def derive_search_text(self) -> None:
        """Call before bulk_create, which skips save()."""
        self.search_text = child_search_text(
            self.first_name, self.last_name, self.known_as, self.child_ref
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_placed_in(self) -> bool:
        """Placed here by another authority (counted in their 903 return, not ours)."""
        return bool(self.placing_authority)
