"""End a user's sessions when their access changes, however it was changed (service or admin).

This is security housekeeping, not workflow: rotating the stamp makes Django reject every
session hash issued before it.
"""

import uuid
from typing import Any

from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver

from cre_portal.accounts.models import User


def rotate_security_stamps(user_ids: set[Any]) -> uuid.UUID:
    """Give the users a new stamp, which ends all their sessions."""
    stamp = uuid.uuid4()
    User.objects.filter(pk__in=user_ids).update(security_stamp=stamp)
    return stamp


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def end_sessions_on_access_change(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[Any] | None, **kwargs: Any
) -> None:
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if not reverse:
        # Keep the in-memory copy current, or a later save() would restore the old stamp.
        instance.security_stamp = rotate_security_stamps({instance.pk})
    elif action == "pre_clear":
        rotate_security_stamps(set(instance.user_set.values_list("pk", flat=True)))
    else:
        rotate_security_stamps(pk_set or set())


@receiver(pre_save, sender=User)
def end_sessions_on_deactivation(sender: Any, instance: User, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if instance._state.adding or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    if User.objects.filter(pk=instance.pk, is_active=True).exists():
        instance.security_stamp = rotate_security_stamps({instance.pk})
