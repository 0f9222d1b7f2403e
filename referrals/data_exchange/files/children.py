"""children.csv: the child records, matched on `child_ref`."""

from collections.abc import Iterable
from typing import Any, ClassVar

from cre_portal.audit.models import CaseEvent
from referrals.codes import CareStatus
from referrals.data_exchange.context import FilePlan, ImportContext, imported_event
from referrals.data_exchange.files.base import BATCH_SIZE, RecordFile, has, lock_if, save_changes
from referrals.data_exchange.schema import CHILDREN, FileSpec, Problem
from referrals.data_exchange.validate import CheckedTable, Row
from referrals.models import Child


class ChildrenFile(RecordFile[Child]):
    """Team, allocated worker, gender identity and restriction are not in the format: a new
    child has none (only those who see every child see it until it is allocated), and an
    update leaves them as they are."""

    spec: ClassVar[FileSpec] = CHILDREN
    model = Child

    def plan(self, table: CheckedTable, ctx: ImportContext) -> FilePlan:
        ctx.child_refs_in_import |= table.refs
        if self.spec.ref_column not in table.columns:
            ctx.child_refs_readable = False
        return super().plan(table, ctx)

    def existing(self, refs: set[str], ctx: ImportContext) -> dict[str, Child]:
        children = {c.child_ref: c for c in lock_if(Child.objects.filter(child_ref__in=refs), ctx)}
        ctx.child_ids.update((ref, child.pk) for ref, child in children.items())
        return children

    def current(self, record: Child) -> dict[str, Any]:
        return {name: getattr(record, name) for name in self.spec.column_names}

    def rules(self, row: Row, values: dict[str, Any], ctx: ImportContext) -> list[Problem]:
        if not has(values, "care_status", "legal_status"):
            return []
        if values["care_status"] == CareStatus.LAC and not values["legal_status"]:
            message = "a legal status is required when care_status is LAC"
            return [row.problem("legal_status", message)]
        return []

    def build(self, values: dict[str, Any], ctx: ImportContext) -> Child:
        child = Child(**values)
        # Known now, so the other files of this import can refer to the new child.
        ctx.child_ids[child.child_ref] = child.pk
        return child

    def apply(self, plan: FilePlan, ctx: ImportContext) -> None:
        for child in plan.new:
            child.derive_search_text()  # bulk_create skips save(), which derives it
        Child.objects.bulk_create(plan.new, batch_size=BATCH_SIZE)
        events = [
            imported_event(
                child_id=child.pk,
                category=CaseEvent.Category.CHILD,
                summary=f"Child record imported: care status {child.care_status}",
                obj=child,
                actor=ctx.actor,
            )
            for child in plan.new
        ]
        CaseEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
        for child, changes in plan.changed:
            save_changes(child, changes)

    def all_records(self) -> Iterable[Child]:
        return Child.objects.order_by().iterator(chunk_size=BATCH_SIZE)
