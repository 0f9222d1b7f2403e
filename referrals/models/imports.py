"""An upload waiting for an administrator to confirm it, after every row has been checked."""

import uuid

from django.conf import settings
from django.db import models

from cre_portal.models import BaseModel


class CaseImport(BaseModel):
    class Status(models.TextChoices):
        CHECKED = "CHECKED", "Checked, waiting for confirmation"
        REJECTED = "REJECTED", "Has problems; nothing written"
        APPLIED = "APPLIED", "Imported"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_imports"
    )
    filename = models.CharField(max_length=255)
    # The uploaded workbook or zip of CSV files; emptied once applied or rejected.
    content = models.BinaryField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    problems = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applied_case_imports",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="caseimport_status_created")]

    def __str__(self) -> str:
        return f"Import {self.pk}"
