"""referrals.csv: CRE referrals, matched on `referral_ref`.

The referral's `care_status` (the child's position that day) is not in the format. It is derived
from `looked_after`: `LAC` when Y; when N it is left blank on a new referral (not known), and an
existing referral keeps what it has unless it said `LAC`, which is cleared. A file without the
`placing_authority` column clears the placing authority of a referral that stops being looked
after (only looked-after referrals may name one).
"""

import datetime
from collections.abc import Iterable
from typing import Any, ClassVar

from cre_portal.audit.models import CaseEvent
from cre_portal.timescales import LONDON
from referrals.codes import CareStatus
from referrals.data_exchange.context import FilePlan, ImportContext, imported_event
from referrals.data_exchange.files.base import (
    BATCH_SIZE,
    RecordFile,
    child_refs,
    has,
    lock_if,
    save_changes,
)
from referrals.data_exchange.schema import REFERRALS, FileSpec, Problem
from referrals.data_exchange.validate import CheckedTable, Row
from referrals.models import Referral


def _derived_care_status(looked_after: bool, current: str) -> str:
    if looked_after:
        return CareStatus.LAC
    return "" if current == CareStatus.LAC else current


class ReferralsFile(RecordFile[Referral]):
    spec: ClassVar[FileSpec] = REFERRALS
    model = Referral

    def plan(self, table: CheckedTable, ctx: ImportContext) -> FilePlan:
        ctx.find_children(child_refs(table))
        return super().plan(table, ctx)

    def existing(self, refs: set[str], ctx: ImportContext) -> dict[str, Referral]:
        referrals = Referral.objects.filter(referral_ref__in=refs).select_related("child")
        return {referral.referral_ref: referral for referral in lock_if(referrals, ctx)}

    def current(self, record: Referral) -> dict[str, Any]:
        values = {name: getattr(record, name, None) for name in self.spec.column_names}
        return {**values, "child_ref": record.child.child_ref}

    def merge(self, row: Row, table: CheckedTable, current: dict[str, Any] | None) -> dict:
        values = super().merge(row, table, current)
        left_out = "placing_authority" not in table.columns
        if left_out and values.get("looked_after") is False:
            values["placing_authority"] = ""
        return values

    def rules(self, row: Row, values: dict[str, Any], ctx: ImportContext) -> list[Problem]:
        problems = []
        if has(values, "child_ref") and (problem := ctx.child_problem(row, values["child_ref"])):
            problems.append(problem)
        if not has(values, "looked_after"):
            return problems
        if values["looked_after"] and has(values, "legal_status") and not values["legal_status"]:
            message = "a legal status is required when looked_after is Y"
            problems.append(row.problem("legal_status", message))
        if not values["looked_after"] and values.get("placing_authority"):
            message = "must be empty when looked_after is N"
            problems.append(row.problem("placing_authority", message))
        return problems

    def build(self, values: dict[str, Any], ctx: ImportContext) -> Referral:
        fields = {name: value for name, value in values.items() if name != "child_ref"}
        # None only when the child's own row has problems, so this referral is never saved.
        child_id: Any = ctx.child_ids.get(values["child_ref"])
        return Referral(
            **fields,
            child_id=child_id,
            care_status=_derived_care_status(values["looked_after"], ""),
            created_by=ctx.actor,
        )

    def _field_changes(self, referral: Referral, changes: dict, ctx: ImportContext) -> dict:
        fields = dict(changes)
        if "child_ref" in fields:
            fields["child_id"] = ctx.child_ids[fields.pop("child_ref")]
        if "looked_after" in fields:
            care_status = _derived_care_status(fields["looked_after"], referral.care_status)
            fields["care_status"] = care_status
        return fields

    def apply(self, plan: FilePlan, ctx: ImportContext) -> None:
        Referral.objects.bulk_create(plan.new, batch_size=BATCH_SIZE)
        events = [
            imported_event(
                child_id=referral.child_id,
                category=CaseEvent.Category.REFERRAL,
                summary=(
                    f"Referral imported: {referral.exploitation_type}, "
                    f"received {referral.received_on.isoformat()}"
                ),
                obj=referral,
                actor=ctx.actor,
                occurred_at=datetime.datetime.combine(
                    referral.received_on, datetime.time(), tzinfo=LONDON
                ),
            )
            for referral in plan.new
        ]
        CaseEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
        for referral, changes in plan.changed:
            save_changes(referral, self._field_changes(referral, changes, ctx))

    def all_records(self) -> Iterable[Referral]:
        return Referral.objects.order_by().select_related("child").iterator(chunk_size=BATCH_SIZE)
