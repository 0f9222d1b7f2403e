"""Inserting a record under a generated human-readable reference (CRE-000123, REF-20261125-0001).

The next reference is worked out from those in use, so two users saving at the same moment can
pick the same one; the unique constraint catches it and the loser simply takes the next.
"""

from collections.abc import Callable

from django.db import IntegrityError, models, transaction

ATTEMPTS = 5


def insert_with_free_reference(
    instance: models.Model, *, field: str, next_reference: Callable[[], str]
) -> None:
    """Insert `instance` with `field` set to the next free reference, retrying on a clash."""
    model = type(instance)
    for _attempt in range(ATTEMPTS):
        reference = next_reference()
        setattr(instance, field, reference)
        try:
            with transaction.atomic():
                instance.save(force_insert=True)
        except IntegrityError:
            # A clash means the other insert committed, so its row is visible now; anything
            # else is a real error.
            if not model._default_manager.filter(**{field: reference}).exists():
                raise
        else:
            return
    raise IntegrityError(f"no free {model._meta.verbose_name} reference after {ATTEMPTS} tries")
