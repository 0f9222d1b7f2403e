"""Optimistic locking: a save based on a stale copy is refused, saying what changed.

Models carry `version = PositiveIntegerField(default=1)`. Forms carry the version the user loaded
(`VersionField`); services call `save_versioned`, which updates only if that version is still
current, and otherwise raises `StaleEdit` naming the fields someone else changed meanwhile
(read from the pghistory trail), so the view can re-show the user's own input with a clear message.
"""

from typing import Any

import pghistory.models
from django import forms
from django.db import models


class StaleEdit(Exception):
    """Someone saved the record after this user opened it."""

    def __init__(self, changed_fields: list[str]) -> None:
        self.changed_fields = changed_fields
        super().__init__("The record was changed by someone else.")

    @property
    def message(self) -> str:
        changed = ", ".join(self.changed_fields) or "some details"
        return (
            f"Someone else changed this record while you were editing it ({changed}). "
            "Your changes have not been saved. Check the record below, then save again."
        )


class VersionField(forms.IntegerField):
    """The version of the record the user is editing, carried in a hidden input."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Reload the page and try again",
                "invalid": "Reload the page and try again",
            },
        )
        super().__init__(**kwargs)


def changed_since(instance: models.Model, version: int) -> list[str]:
    """Labels of the fields changed in updates after `version`, from the trigger history."""
    events = pghistory.models.Events.objects.tracks(instance).filter(pgh_label="update")
    labels: dict[str, str] = {}
    for event in events:
        diff = event.pgh_diff or {}
        if diff.get("version", [0, 0])[1] <= version:
            continue
        for name in diff:
            if name in {"version", "updated_at", "search_text"}:
                continue
            field = instance._meta.get_field(name)
            labels[name] = str(getattr(field, "verbose_name", name))
    return sorted(labels.values())


def save_versioned(instance: models.Model, *, expected_version: int, fields: list[str]) -> None:
    """Save `fields` only if the row is still at `expected_version`, and bump the version.

    Call inside the service's transaction: the row lock makes check-and-save one step, and
    save() keeps derived fields (search text, due dates) in step with the edit.
    """
    model = type(instance)
    current = model._default_manager.select_for_update().values_list("version", flat=True)
    if current.get(pk=instance.pk) != expected_version:
        raise StaleEdit(changed_since(instance, expected_version))
    instance.version = expected_version + 1  # type: ignore[attr-defined]
    instance.save(update_fields=[*fields, "version", "updated_at"])
