"""Writing the read log. Callers log in the same transaction as the read they record."""

import uuid

from django.db import models

from cre_portal.accounts.models import User
from cre_portal.audit.models import AccessLogEntry
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
