"""What the files of one import share while it is checked and applied, and what each will do."""

import dataclasses
import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from cre_portal.accounts.models import User
from cre_portal.audit.models import CaseEvent
from referrals.data_exchange.schema import Problem
from referrals.models import Child

IMPORTED = "imported"


@dataclasses.dataclass
class FilePlan:
    """What importing one file would do. `new` and `changed` hold whatever its handler needs."""

    file: str
    new: list[Any] = dataclasses.field(default_factory=list)
    changed: list[Any] = dataclasses.field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = dataclasses.field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "changed": len(self.changed), "unchanged": self.unchanged}


@dataclasses.dataclass
class ImportContext:
    # Who applies the import: the administrator in the browser, None (the system) from the CLI.
    actor: User | None
    # Lock the existing records read, because the plan is about to be applied.
    lock: bool = False
    # References in children.csv, even on rows with problems, so a bad child row does not also
    # make every referral of that child "unknown".
    child_refs_in_import: set[str] = dataclasses.field(default_factory=set)
    # False when children.csv is there but its references cannot be read (not UTF-8, no
    # child_ref column): references to children not in the database are then not reported,
    # as they would only repeat that problem.
    child_refs_readable: bool = True
    # Child ids by reference: those planned from children.csv (new ones get their id when
    # planned), then those looked up in the database.
    child_ids: dict[str, uuid.UUID] = dataclasses.field(default_factory=dict)

    def find_children(self, refs: Iterable[str]) -> None:
        """Look up, in one query, the children not already known by reference."""
        unknown = set(refs) - self.child_ids.keys()
        if unknown:
            found = Child.objects.filter(child_ref__in=unknown).values_list("child_ref", "id")
            self.child_ids.update(found)

    def child_problem(self, row: Any, ref: str) -> Problem | None:
        """A problem when the child is neither in this import nor already in the database."""
        if ref in self.child_ids or ref in self.child_refs_in_import:
            return None
        if not self.child_refs_readable:
            return None
        return row.problem("child_ref", f"{ref} is not in children.csv or already imported")


def imported_event(
    *,
    child_id: uuid.UUID,
    category: str,
    summary: str,
    obj: models.Model,
    actor: User | None,
    occurred_at: datetime.datetime | None = None,
) -> CaseEvent:
    """An unsaved chronology event for a record the import creates, to be bulk created.

    Mirrors `cre_portal.audit.services.case_event_record`, which saves one row per call: an
    import of thousands of records writes its events in a few statements instead.
    """
    return CaseEvent(
        child_id=child_id,
        category=category,
        verb=IMPORTED,
        summary=summary[:200],
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        actor=actor,
        occurred_at=occurred_at or timezone.now(),
    )
