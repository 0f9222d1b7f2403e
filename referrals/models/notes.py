"""Case notes written on a child's record; they appear on the chronology."""

import uuid

import pghistory
from django.conf import settings
from django.db import models

from cre_portal.models import BaseModel
from referrals.models.child import Child


@pghistory.track()
class CaseNote(BaseModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="case_notes")
    occurred_at = models.DateTimeField()
    title = models.CharField(max_length=120)
    text = models.TextField()
    is_significant = models.BooleanField("significant event", default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_notes"
    )

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["child", "-occurred_at"], name="casenote_child_time")]

    def __str__(self) -> str:
        return f"Note {self.pk}"
