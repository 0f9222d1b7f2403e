"""Writing the read log. Callers log in the same transaction as the read they record."""

import datetime
import uuid

from django.db import models
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.audit.models import AccessLogEntry, CaseEvent
from cre_portal.audit.request_id import current_request_id


def access_log_record(
    *,
    user: User,
    obj: models.Model,
    child_id: uuid.UUID | None,
    action: str = AccessLogEntry.Action.VIEW,
    reason: str = "",
) -> AccessLogEntry:
    """Record that the user read (or downloaded) a record, and about which child."""
    return AccessLogEntry.objects.create(
        user=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        child_id=child_id,
        reason=reason,
        request_id=current_request_id.get(),
    )


def case_event_record(
    *,
    child_id: uuid.UUID,
    category: str,
    verb: str,
    summary: str,
    obj: models.Model,
    actor: User | None,
    occurred_at: datetime.datetime | None = None,
    is_significant: bool = False,
) -> CaseEvent:
    """Add an event to the child's chronology; call it inside the service's transaction."""
    return CaseEvent.objects.create(
        child_id=child_id,
        category=category,
        verb=verb,
        summary=summary[:200],
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        actor=actor,
        occurred_at=occurred_at or timezone.now(),
        is_significant=is_significant,
    )
