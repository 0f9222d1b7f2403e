"""The read log: who opened which record, when, and why when a reason was asked."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone


class AccessLogEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "VIEW", "Viewed"
        BREAK_GLASS = "BREAK_GLASS", "Opened a restricted record"
        DOWNLOAD = "DOWNLOAD", "Downloaded"
        EXPORT = "EXPORT", "Exported"

    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_log_entries"
    )
    action = models.CharField(max_length=20, choices=Action.choices, default=Action.VIEW)
    # "app_label.model" and the key of what was read; no foreign key, so any record can be logged.
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    # The child the record is about, so "who has looked at this child" is one indexed query.
    child_id = models.UUIDField(null=True, blank=True)
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "access log entries"
        permissions = [("view_any_access_log", "See the access log of any record (DPO)")]
        indexes = [
            models.Index(fields=["child_id", "-at"], name="accesslog_child_at"),
            models.Index(fields=["user", "-at"], name="accesslog_user_at"),
            models.Index(fields=["object_type", "object_id", "-at"], name="accesslog_object_at"),
        ]
        triggers = [
            # The log is append-only whatever the application asks for.
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_id}"
