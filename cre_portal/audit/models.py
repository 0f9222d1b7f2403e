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


class CaseEvent(models.Model):
    """A domain event on a child's case; the chronology is built from these.

    Summaries are made from codes and dates by the service that records the event, never from
    narrative text, so the timeline can be shown and counted without exposing notes.
    """

    class Category(models.TextChoices):
        CHILD = "CHILD", "Child record"
        REFERRAL = "REFERRAL", "Referral"
        MISSING = "MISSING", "Missing episode"
        RHI = "RHI", "Return home interview"
        NRM = "NRM", "National Referral Mechanism"
        NOTE = "NOTE", "Case note"
        ASSESSMENT = "ASSESSMENT", "Risk assessment"
        MEETING = "MEETING", "Meeting"
        ACTION = "ACTION", "Action"
        TASKING = "TASKING", "Tasking"

    child_id = models.UUIDField()
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    verb = models.CharField(max_length=50)
    summary = models.CharField(max_length=200)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_events",
    )
    is_significant = models.BooleanField(default=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["child_id", "-occurred_at", "-id"], name="caseevent_child_time"),
            models.Index(fields=["object_type", "object_id"], name="caseevent_object"),
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_type} {self.object_id}"
