"""Children shared with an audience beyond their team, e.g. a tasking group's members."""

from django.db import models
from django.utils import timezone

from referrals.models.child import Child


class ChildShare(models.Model):
    """Kept by the app that shares (tasking, when a child is on a published agenda)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="shares")
    audience = models.CharField(max_length=80)
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["child", "audience"]
        constraints = [
            models.UniqueConstraint(fields=["child", "audience"], name="child_share_once")
        ]
        indexes = [models.Index(fields=["audience", "child"], name="child_share_audience")]

    def __str__(self) -> str:
        return self.audience
